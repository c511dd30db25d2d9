package io.liveshard.node.api;

import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The streams whose entities run on this node, from Cluster Sharding's own region state, and those it relays. Asking sharding (instead
 * of asking an entity by name) never starts an entity, so the API can check a name a client sent without letting
 * that client create streams. The answer is reused for {@link #MAX_AGE}, so a busy API asks sharding about once a
 * second. Entities include streams that are starting, in their grace period or about to passivate: callers ask
 * the entity for its status to know whether it is live.
 */
public final class LiveStreamIndex {

    private static final Duration MAX_AGE = Duration.ofMillis(500);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private final ActorSystem<?> system;
    private final StreamDirectory streams;
    private CompletableFuture<Set<StreamKey>> latest;
    private long latestNanos;

    public LiveStreamIndex(ActorSystem<?> system, StreamDirectory streams) {
        this.system = system;
        this.streams = streams;
    }

    /** The keys of the stream entities on this node, at most {@link #MAX_AGE} old. */
    public synchronized CompletionStage<Set<StreamKey>> entities() {
        long now = System.nanoTime();
        if (latest == null || now - latestNanos > MAX_AGE.toNanos() || latest.isCompletedExceptionally()) {
            latestNanos = now;
            latest = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                            ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(system).shardState(),
                            replyTo -> new GetShardRegionState(StreamEntity.TYPE_KEY, replyTo), ASK_TIMEOUT,
                            system.scheduler())
                    .thenApply(this::withRelayed)
                    .toCompletableFuture();
        }
        return latest;
    }

    /** Entities here plus the streams this node relays from their owners (viewers here watch both alike). */
    private Set<StreamKey> withRelayed(ShardRegion.CurrentShardRegionState state) {
        Set<StreamKey> keys = new HashSet<>(streams.relayCopies().keySet());
        for (ShardRegion.ShardState shard : state.getShards()) {
            for (String id : shard.getEntityIds()) {
                keys.add(StreamKey.fromId(id));
            }
        }
        return Set.copyOf(keys);
    }
}
