package io.liveshard.node.stream;

import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.external.ExternalShardAllocationStrategy;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.Timeout;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One live stream, {@code app/stream}, as a Cluster Sharding entity: the control plane of the stream. It owns the
 * publisher slot, the subscriber set and the {@link StreamFanout} that carries the media (codec configs, GOP cache,
 * per-subscriber queues). Media never passes through this actor's mailbox: publishers write into the fan-out on
 * their own thread, and only joins and leaves arrive here.
 *
 * <p>When the publisher leaves, viewers stay attached for the grace period; a publisher that comes back within it
 * continues the same stream for them. Afterwards viewers get end-of-stream. An entity with no publisher, no viewers
 * and nobody waiting passivates after {@code idle-passivation}.
 */
public final class StreamEntity extends AbstractBehavior<StreamEntity.Command> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Stream");
    /** The protocol name a relay's copy is counted under in the subscriber set (one per edge node). */
    public static final String RELAY_PROTOCOL = "relay";

    /**
     * Messages the entity understands. Most carry node-local references and are only sent once {@link Locate} said
     * the entity runs on the sender's node; the {@link CrossNodeMessage}s may come from anywhere in the cluster.
     */
    public sealed interface Command {}

    /** Where does the entity run? Answered with {@link Located}. Starts the entity if it is not running. */
    public record Locate(ActorRef<Located> replyTo) implements Command, CrossNodeMessage {}

    /** The entity runs on the node with this address ({@code pekko://system@host:port}). */
    /**
     * Where the entity runs, and whether a publisher is connected to it there and sending (not in its grace
     * period, not silent for {@link #PUBLISHER_SILENCE}).
     */
    public record Located(String nodeAddress, boolean publisherConnected) implements CrossNodeMessage {}

    /**
     * A publisher connection this long without a frame may be a dead one not yet noticed (an encoder gone without a
     * FIN waits for the RTMP idle timeout): a publisher on another node may then take the stream over.
     */
    public static final Duration PUBLISHER_SILENCE = Duration.ofSeconds(3);

    /**
     * An edge relay on another node asks for one copy of the stream. Answered with {@link RelayAttached} once the
     * stream is live (waiting up to {@code waitMillis} for a publisher) or {@link RelayNotLive}.
     */
    public record SubscribeRelay(String relayNode, long waitMillis, ActorRef<RelayReply> replyTo)
            implements Command, CrossNodeMessage {}

    /** Reply to {@link SubscribeRelay}. */
    public sealed interface RelayReply extends CrossNodeMessage {}

    /**
     * The relay's copy: batches of frames ({@link RelayFrameCodec}), starting with the codec configs and the cached
     * GOP, flow-controlled end to end by Pekko's stream reference; and what the relay's node shows of the stream's
     * publisher: since when the stream is live (0: unknown) and the publisher's address (null: none connected).
     */
    public record RelayAttached(SourceRef<ByteString> frames, long liveSinceMillis, String publisherAddress)
            implements RelayReply {}

    /** Nobody publishes the stream. */
    public record RelayNotLive(String reason) implements RelayReply {}

    /** A publisher asks for the stream. Answered with {@link PublishAccepted} or {@link PublishRefused}. */
    public record Publish(String publisherId, String remoteAddress, ActorRef<PublishReply> replyTo)
            implements Command {}

    /** The publisher with this id left (disconnected, unpublished or failed). */
    public record Unpublish(String publisherId) implements Command {}

    /**
     * A viewer asks to watch. Answered with {@link Subscribed} once its queue is attached, or {@link NotLive} when
     * no publisher shows up within {@code waitForPublisher}.
     *
     * @param followMove for a viewer of this node: called, instead of ending its queue, when the entity stops here
     *                   because the stream moved to another node (a publisher there), so that the viewer follows
     *                   it through this node's relay; a waiting viewer is answered {@link Moved} instead. Null for
     *                   subscribers that cannot follow (another node's relay).
     */
    public record Subscribe(SubscriberQueue queue, String protocol, Duration waitForPublisher, Runnable followMove,
                            ActorRef<SubscribeReply> replyTo) implements Command {}

    /** The viewer went away. */
    public record Unsubscribe(SubscriberQueue queue) implements Command {}

    /** Asks for a {@link StreamStatus}. */
    public record GetStatus(ActorRef<StreamStatus> replyTo) implements Command {}

    /** Sent by sharding when it passivates or rebalances the entity. */
    public enum Stop implements Command { INSTANCE }

    private record GraceExpired(long publisherEpoch) implements Command {}

    private record WaitExpired(SubscriberQueue queue) implements Command {}

    private record IdleExpired(long idleEpoch) implements Command {}

    /**
     * Periodic sweep for subscribers whose queue ended without an {@link Unsubscribe}: a viewer whose HTTP
     * response was never started (it left while the entity answered) is ended by the slow-consumer policy but has
     * nobody to say goodbye for it.
     */
    private enum PruneEnded implements Command { INSTANCE }

    /** Reply to {@link Publish}. */
    public sealed interface PublishReply {}

    /** The caller is the publisher now and writes frames into {@code fanout}. */
    public record PublishAccepted(StreamFanout fanout) implements PublishReply {}

    /**
     * A publish refused: {@code reason} for the publisher and the log, {@code cause} a word from a fixed set for
     * metrics labels.
     */
    public record PublishRefused(String reason, Cause cause) implements PublishReply {

        /** Why, as the refusal counter's {@code reason} label says it. */
        public enum Cause {
            ALREADY_PUBLISHED("already-published"),
            FORBIDDEN("forbidden"),
            LIMIT("limit"),
            NOT_MOVED("not-moved"),
            /** This node is not a member of its cluster (not joined yet, or leaving): it serves no stream. */
            UNAVAILABLE("unavailable");

            private final String label;

            Cause(String label) {
                this.label = label;
            }

            public String label() {
                return label;
            }
        }
    }

    /** Reply to {@link Subscribe}. */
    public sealed interface SubscribeReply {}

    /** The queue is attached and primed. */
    public record Subscribed(StreamStatus status) implements SubscribeReply {}

    /** Nobody publishes the stream. */
    public record NotLive(String reason) implements SubscribeReply {}

    /**
     * The node refuses another viewer; decided by {@link StreamDirectory}, never by the entity. {@code cause} is the
     * refusal counter's label: {@code limit} (a viewer limit) or {@code unavailable} (the node is not a member of its
     * cluster).
     */
    public record Refused(String reason, String cause) implements SubscribeReply {}

    /** The entity left this node while the viewer waited for a publisher: ask again, wherever it is now. */
    public record Moved() implements SubscribeReply {}

    private record Waiter(String protocol, Runnable followMove, ActorRef<SubscribeReply> replyTo) {}

    /** An attached subscriber: its protocol (for the counts) and how it follows a move, if it can. */
    private record Subscription(String protocol, Runnable followMove) {}

    /**
     * Registers the entity type with Cluster Sharding on this node. Every stream is its own shard, placed where the
     * external allocation says (the publisher's node sets it, see {@link StreamDirectory#publish}) and otherwise on
     * the node that first asked for it.
     */
    public static void init(ActorSystem<?> system, StreamSettings settings) {
        ClusterSharding.get(system).init(
                Entity.of(TYPE_KEY, entityContext -> create(StreamKey.fromId(entityContext.getEntityId()), settings,
                                entityContext.getShard()))
                        .withStopMessage(Stop.INSTANCE)
                        .withMessageExtractor(new OneShardPerStream())
                        .withAllocationStrategy(new ExternalShardAllocationStrategy(system, TYPE_KEY.name(),
                                Timeout.create(Duration.ofSeconds(5)))));
    }

    /** Shard id = entity id, so that each stream can be placed on its own. */
    private static final class OneShardPerStream
            extends ShardingMessageExtractor<ShardingEnvelope<Command>, Command> {

        @Override
        public String entityId(ShardingEnvelope<Command> envelope) {
            return envelope.entityId();
        }

        @Override
        public String shardId(String entityId) {
            return entityId;
        }

        @Override
        public Command unwrapMessage(ShardingEnvelope<Command> envelope) {
            return envelope.message();
        }
    }

    public static Behavior<Command> create(StreamKey key, StreamSettings settings,
                                           ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(context -> Behaviors.withTimers(
                timers -> new StreamEntity(context, timers, key, settings, shard)));
    }

    private final TimerScheduler<Command> timers;
    private final StreamKey key;
    private final StreamSettings settings;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final StreamFanout fanout;
    private final Map<SubscriberQueue, Subscription> subscribers = new IdentityHashMap<>();
    private final Map<SubscriberQueue, Waiter> waiters = new IdentityHashMap<>();

    private String publisherId;
    private String publisherAddress;
    private long liveSinceMillis;
    private boolean inGrace;
    private long publisherEpoch;
    private long publisherSinceNanos;
    private long idleEpoch;

    private StreamEntity(ActorContext<Command> context, TimerScheduler<Command> timers, StreamKey key,
                         StreamSettings settings, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(context);
        this.timers = timers;
        this.key = key;
        this.settings = settings;
        this.shard = shard;
        this.fanout = new StreamFanout(key, settings.gopMaxFrames(), settings.gopMaxBytes());
        scheduleIdleCheck();
        timers.startTimerWithFixedDelay(PruneEnded.INSTANCE, settings.viewerSweepInterval());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Publish.class, this::onPublish)
                .onMessage(Locate.class, this::onLocate)
                .onMessage(SubscribeRelay.class, this::onSubscribeRelay)
                .onMessage(Unpublish.class, this::onUnpublish)
                .onMessage(Subscribe.class, this::onSubscribe)
                .onMessage(Unsubscribe.class, this::onUnsubscribe)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(GraceExpired.class, this::onGraceExpired)
                .onMessage(WaitExpired.class, this::onWaitExpired)
                .onMessage(IdleExpired.class, this::onIdleExpired)
                .onMessageEquals(PruneEnded.INSTANCE, this::onPruneEnded)
                .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                .onSignal(PostStop.class, signal -> onPostStop())
                .build();
    }

    private Behavior<Command> onPublish(Publish publish) {
        if (publisherId != null) {
            getContext().getLog().warn("stream {}: publish from {} refused, already published from {}",
                    key, publish.remoteAddress(), publisherAddress);
            publish.replyTo().tell(new PublishRefused("stream " + key + " is already being published",
                    PublishRefused.Cause.ALREADY_PUBLISHED));
            return this;
        }
        publisherId = publish.publisherId();
        publisherAddress = publish.remoteAddress();
        publisherSinceNanos = System.nanoTime();
        publisherEpoch++;
        if (inGrace) {
            getContext().getLog().info("stream {}: publisher {} resumed within the grace period", key,
                    publisherAddress);
        } else {
            getContext().getLog().info("stream {}: publishing from {}", key, publisherAddress);
            liveSinceMillis = System.currentTimeMillis();
        }
        inGrace = false;
        fanout.beginPublisher();
        publish.replyTo().tell(new PublishAccepted(fanout));
        answerWaiters();
        return this;
    }

    private Behavior<Command> onUnpublish(Unpublish unpublish) {
        if (!unpublish.publisherId().equals(publisherId)) {
            return this;
        }
        getContext().getLog().info("stream {}: publisher {} left, viewers wait {} for it to return", key,
                publisherAddress, settings.publisherGrace());
        publisherId = null;
        inGrace = true;
        publisherEpoch++;
        timers.startSingleTimer(new GraceExpired(publisherEpoch), settings.publisherGrace());
        return this;
    }

    private Behavior<Command> onGraceExpired(GraceExpired expired) {
        if (expired.publisherEpoch() != publisherEpoch || !inGrace) {
            return this;
        }
        inGrace = false;
        liveSinceMillis = 0;
        getContext().getLog().info("stream {}: publisher did not return, ending the stream for {} viewers", key,
                subscribers.size());
        fanout.endAll(SubscriberQueue.EndReason.END_OF_STREAM);
        subscribers.clear();
        scheduleIdleCheck();
        return this;
    }

    private Behavior<Command> onSubscribe(Subscribe subscribe) {
        if (publisherId != null || inGrace) {
            attach(subscribe.queue(), new Subscription(subscribe.protocol(), subscribe.followMove()),
                    subscribe.replyTo());
        } else if (subscribe.waitForPublisher().isZero() || subscribe.waitForPublisher().isNegative()) {
            subscribe.replyTo().tell(new NotLive("stream " + key + " is not live"));
            scheduleIdleCheck();
        } else {
            waiters.put(subscribe.queue(), new Waiter(subscribe.protocol(), subscribe.followMove(),
                    subscribe.replyTo()));
            timers.startSingleTimer(subscribe.queue(), new WaitExpired(subscribe.queue()),
                    subscribe.waitForPublisher());
        }
        return this;
    }

    private Behavior<Command> onLocate(Locate locate) {
        locate.replyTo().tell(new Located(Cluster.get(getContext().getSystem()).selfMember().address().toString(),
                publisherSending()));
        return this;
    }

    /**
     * A relay's copy is a subscriber like any viewer (same queue, same slow-consumer policy), drained into a stream
     * reference instead of a socket; a translator answers the relay once the subscriber is attached or refused.
     */
    private Behavior<Command> onSubscribeRelay(SubscribeRelay request) {
        WakeUpRelay wakeUp = new WakeUpRelay();
        SubscriberQueue queue = new SubscriberQueue("relay to " + request.relayNode(), settings.slowConsumer(), wakeUp);
        ActorRef<Command> self = getContext().getSelf();
        AtomicReference<SubscriberQueue.EndReason> ended = new AtomicReference<>();
        SourceRef<ByteString> frames = Source.fromGraph(new SubscriberSource(queue, wakeUp, RelayFrameCodec::encode,
                        reason -> {
                            ended.set(reason);
                            self.tell(new Unsubscribe(queue));
                        }))
                .mapConcat(RelayFrameCodec::chunks)
                // Only a real end of the stream is said; a copy cut for any other reason makes the relay ask again.
                .concat(Source.lazySource(() -> ended.get() == SubscriberQueue.EndReason.END_OF_STREAM
                        ? Source.single(RelayFrameCodec.END_OF_STREAM) : Source.<ByteString>empty()))
                .runWith(StreamRefs.sourceRef(), Materializer.matFromSystem(getContext().getSystem()));
        ActorRef<SubscribeReply> translator = getContext().spawnAnonymous(Behaviors.receive(SubscribeReply.class)
                .onMessage(Subscribed.class, subscribed -> {
                    request.replyTo().tell(new RelayAttached(frames, subscribed.status().liveSinceMillis(),
                            subscribed.status().publisherAddress()));
                    return Behaviors.stopped();
                })
                .onMessage(NotLive.class, notLive -> {
                    queue.cancel();
                    request.replyTo().tell(new RelayNotLive(notLive.reason()));
                    return Behaviors.stopped();
                })
                .build());
        getContext().getLog().info("stream {}: relay to {} asks for the stream", key, request.relayNode());
        return onSubscribe(new Subscribe(queue, RELAY_PROTOCOL, Duration.ofMillis(request.waitMillis()), null,
                translator));
    }

    private Behavior<Command> onWaitExpired(WaitExpired expired) {
        Waiter waiter = waiters.remove(expired.queue());
        if (waiter != null) {
            waiter.replyTo().tell(new NotLive("stream " + key + " is not live"));
            scheduleIdleCheck();
        }
        return this;
    }

    private Behavior<Command> onUnsubscribe(Unsubscribe unsubscribe) {
        if (waiters.remove(unsubscribe.queue()) != null) {
            timers.cancel(unsubscribe.queue());
        }
        if (subscribers.remove(unsubscribe.queue()) != null) {
            fanout.detach(unsubscribe.queue(), SubscriberQueue.EndReason.CANCELLED);
        }
        scheduleIdleCheck();
        return this;
    }

    private Behavior<Command> onGetStatus(GetStatus get) {
        get.replyTo().tell(status());
        return this;
    }

    private Behavior<Command> onIdleExpired(IdleExpired expired) {
        if (expired.idleEpoch() == idleEpoch && isIdle()) {
            getContext().getLog().debug("stream {}: idle, passivating", key);
            shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
        }
        return this;
    }

    private Behavior<Command> onPruneEnded() {
        List<SubscriberQueue> ended = subscribers.keySet().stream().filter(SubscriberQueue::hasEnded).toList();
        for (SubscriberQueue queue : ended) {
            getContext().getLog().info("stream {}: removing ended viewer {}", key, queue.subscriberId());
            subscribers.remove(queue);
            fanout.detach(queue, SubscriberQueue.EndReason.CANCELLED);
        }
        if (!ended.isEmpty()) {
            scheduleIdleCheck();
        }
        return this;
    }

    /**
     * The entity stops when it passivates (nobody left), when its node leaves, or when the stream moves to a
     * publisher on another node. This node's viewers follow it there through a relay; other nodes' relays end and
     * re-attach by themselves.
     */
    private Behavior<Command> onPostStop() {
        List<Runnable> follows = new ArrayList<>();
        subscribers.forEach((queue, subscription) -> {
            if (subscription.followMove() != null && !queue.hasEnded()) {
                fanout.release(queue);
                follows.add(subscription.followMove());
            }
        });
        if (!follows.isEmpty()) {
            // While the node stops, StreamDirectory ends these viewers instead of moving them.
            boolean nodeStopping = CoordinatedShutdown.get(getContext().getSystem()).getShutdownReason().isPresent();
            getContext().getLog().info(nodeStopping ? "stream {}: the node stops, {} viewers here end"
                    : "stream {}: leaving this node, {} viewers here follow it", key, follows.size());
        }
        fanout.endAll(SubscriberQueue.EndReason.CANCELLED);
        follows.forEach(Runnable::run);
        for (Waiter waiter : waiters.values()) {
            waiter.replyTo().tell(waiter.followMove() != null ? new Moved()
                    : new NotLive("stream " + key + " stopped"));
        }
        return this;
    }

    private void attach(SubscriberQueue queue, Subscription subscription, ActorRef<SubscribeReply> replyTo) {
        fanout.attach(queue);
        subscribers.put(queue, subscription);
        replyTo.tell(new Subscribed(status()));
    }

    private void answerWaiters() {
        for (Map.Entry<SubscriberQueue, Waiter> waiting : waiters.entrySet()) {
            timers.cancel(waiting.getKey());
            Waiter waiter = waiting.getValue();
            attach(waiting.getKey(), new Subscription(waiter.protocol(), waiter.followMove()), waiter.replyTo());
        }
        waiters.clear();
    }

    /** A publisher is connected, and it sent a frame lately (or has only just connected). */
    private boolean publisherSending() {
        if (publisherId == null) {
            return false;
        }
        long now = System.nanoTime();
        long silence = PUBLISHER_SILENCE.toNanos();
        long lastFrame = fanout.lastIngestNanos();
        return now - publisherSinceNanos < silence || lastFrame != 0 && now - lastFrame < silence;
    }

    private boolean isIdle() {
        return publisherId == null && !inGrace && subscribers.isEmpty() && waiters.isEmpty();
    }

    private void scheduleIdleCheck() {
        if (isIdle()) {
            idleEpoch++;
            timers.startSingleTimer(IdleExpired.class, new IdleExpired(idleEpoch), settings.idlePassivation());
        }
    }

    private StreamStatus status() {
        Map<String, Integer> viewers = new HashMap<>();
        for (Subscription subscription : subscribers.values()) {
            viewers.merge(subscription.protocol(), 1, Integer::sum);
        }
        return new StreamStatus(key, publisherId != null, inGrace, publisherAddress, Map.copyOf(viewers),
                fanout.stats(), liveSinceMillis);
    }
}
