package io.liveshard.node.stream;

import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * How sessions reach stream entities: by key, through Cluster Sharding, with the ask timeouts in one place.
 */
public final class StreamDirectory {

    /** Sharding may still be starting when the first client arrives; asks wait this long beyond any publisher wait. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSharding sharding;
    private final StreamSettings settings;

    public StreamDirectory(ActorSystem<?> system, StreamSettings settings) {
        this.sharding = ClusterSharding.get(system);
        this.settings = settings;
    }

    public StreamSettings settings() {
        return settings;
    }

    public CompletionStage<StreamEntity.PublishReply> publish(StreamKey key, String publisherId, String remoteAddress) {
        return entity(key).ask(replyTo -> new StreamEntity.Publish(publisherId, remoteAddress, replyTo), ASK_TIMEOUT);
    }

    public void unpublish(StreamKey key, String publisherId) {
        entity(key).tell(new StreamEntity.Unpublish(publisherId));
    }

    public CompletionStage<StreamEntity.SubscribeReply> subscribe(StreamKey key, SubscriberQueue queue,
                                                                  String protocol, Duration waitForPublisher) {
        return entity(key).ask(replyTo -> new StreamEntity.Subscribe(queue, protocol, waitForPublisher, replyTo),
                ASK_TIMEOUT.plus(waitForPublisher));
    }

    public void unsubscribe(StreamKey key, SubscriberQueue queue) {
        entity(key).tell(new StreamEntity.Unsubscribe(queue));
    }

    public CompletionStage<StreamStatus> status(StreamKey key) {
        return entity(key).ask(StreamEntity.GetStatus::new, ASK_TIMEOUT);
    }

    private EntityRef<StreamEntity.Command> entity(StreamKey key) {
        return sharding.entityRefFor(StreamEntity.TYPE_KEY, key.id());
    }
}
