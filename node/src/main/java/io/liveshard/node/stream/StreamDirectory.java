package io.liveshard.node.stream;

import io.liveshard.node.limits.LimitSettings;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.external.ExternalShardAllocation;
import org.apache.pekko.cluster.sharding.external.javadsl.ExternalShardAllocationClient;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How sessions reach streams, wherever their entity runs, with the ask timeouts in one place.
 *
 * <p>Every request first asks the stream's entity where it runs ({@link StreamEntity.Locate}, which also starts it:
 * on the node that asked, unless a publisher placed it elsewhere). A publisher moves the stream to its own node, so
 * ingest never crosses the network. A viewer on the owner's node attaches to the entity's fan-out; a viewer on any
 * other node attaches to this node's {@link EdgeRelay} for the stream, which takes one copy from the owner.
 */
public final class StreamDirectory {

    private static final Logger log = LoggerFactory.getLogger(StreamDirectory.class);
    /** Sharding may still be starting when the first client arrives; asks wait this long beyond any publisher wait. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    /** How long a publisher waits for its stream to move to its node (the shard is handed off by a rebalance). */
    private static final Duration MOVE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MOVE_POLL = Duration.ofMillis(250);
    /** While moving, each "where are you" gets this long: a shard whose node just died answers only once it is gone. */
    private static final Duration LOCATE_DURING_MOVE = Duration.ofSeconds(2);

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final ExternalShardAllocationClient placement;
    private final StreamSettings settings;
    private final Cluster cluster;
    private final Address self;
    private final Map<StreamKey, EdgeRelay> relays = new ConcurrentHashMap<>();
    /** Which relay each relayed viewer's queue belongs to (queues compare by identity). */
    private final Map<SubscriberQueue, EdgeRelay> relayedViewers = new ConcurrentHashMap<>();
    private final StreamClients clients = new StreamClients();
    private final LimitSettings limits;
    private final Set<String> outputs;
    /** Client ids of this node's publishers (by publisher id) and subscribers (by queue, compared by identity). */
    private final Map<String, String> publishers = new ConcurrentHashMap<>();
    private final Map<SubscriberQueue, String> subscribers = new ConcurrentHashMap<>();

    /**
     * @param limits  publishers and viewers this node takes (0: no limit)
     * @param outputs subscriber names that feed an output rather than a viewer (HLS muxers, the artc audio
     *                transcoder): not counted against viewer limits
     */
    public StreamDirectory(ActorSystem<?> system, StreamSettings settings, LimitSettings limits, Set<String> outputs) {
        this.limits = limits;
        this.outputs = Set.copyOf(outputs);
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.placement = ExternalShardAllocation.get(system).getClient(StreamEntity.TYPE_KEY.name());
        this.settings = settings;
        this.cluster = Cluster.get(system);
        this.self = cluster.selfMember().address();
    }

    public StreamSettings settings() {
        return settings;
    }

    /**
     * Takes the publisher slot for a publisher over {@code protocol}, after moving the stream's entity to this node
     * if it runs elsewhere without a connected publisher (a publisher in its grace period may come back here);
     * {@code kick} ends its connection (the management API's kick and forbid call it).
     */
    public CompletionStage<StreamEntity.PublishReply> publish(StreamKey key, String publisherId, String remoteAddress,
                                                              String protocol, Runnable kick) {
        Optional<Long> forbidden = clients.forbiddenUntil(key);
        if (forbidden.isPresent()) {
            return CompletableFuture.completedFuture(new StreamEntity.PublishRefused(forbiddenReason(key,
                    forbidden.get()), StreamEntity.PublishRefused.Cause.FORBIDDEN));
        }
        Optional<String> unavailable = notServing();
        if (unavailable.isPresent()) {
            return CompletableFuture.completedFuture(new StreamEntity.PublishRefused(unavailable.get(),
                    StreamEntity.PublishRefused.Cause.UNAVAILABLE));
        }
        if (limits.maxPublishers() > 0 && clients.count("publisher", null, outputs) >= limits.maxPublishers()) {
            return CompletableFuture.completedFuture(new StreamEntity.PublishRefused(
                    "this node is at its limit of " + limits.maxPublishers() + " publishers",
                    StreamEntity.PublishRefused.Cause.LIMIT));
        }
        CompletionStage<StreamEntity.PublishReply> reply = publishedElsewhere(key).thenCompose(elsewhere -> elsewhere
                .<CompletionStage<StreamEntity.PublishReply>>map(node -> CompletableFuture.completedFuture(
                        new StreamEntity.PublishRefused("stream " + key + " is already being published on " + node,
                                StreamEntity.PublishRefused.Cause.ALREADY_PUBLISHED)))
                .orElseGet(() -> publishHere(key, publisherId, remoteAddress)));
        return reply.thenApply(answer -> {
            if (answer instanceof StreamEntity.PublishAccepted) {
                publishers.put(publisherId, clients.add(key, "publisher", protocol, remoteAddress, kick));
            }
            return answer;
        });
    }

    /**
     * The node whose entity of the stream has a connected publisher, when that is another node: moving the stream
     * here would take it from under that publisher. Empty too when the stream's node does not answer (it may have
     * died: the publisher reconnecting here is how the stream fails over).
     */
    private CompletionStage<Optional<String>> publishedElsewhere(StreamKey key) {
        return entity(key).ask(StreamEntity.Locate::new, LOCATE_DURING_MOVE).handle((located, failure) ->
                failure == null && located.publisherConnected() && !located.nodeAddress().equals(self.toString())
                        ? Optional.of(located.nodeAddress())
                        : Optional.empty());
    }

    private CompletionStage<StreamEntity.PublishReply> publishHere(StreamKey key, String publisherId,
                                                                   String remoteAddress) {
        return placeHere(key).thenCompose(here -> here
                ? entity(key).<StreamEntity.PublishReply>ask(
                        replyTo -> new StreamEntity.Publish(publisherId, remoteAddress, replyTo), ASK_TIMEOUT)
                : CompletableFuture.<StreamEntity.PublishReply>completedFuture(new StreamEntity.PublishRefused(
                        "stream " + key + " is owned by another node and did not move here within "
                                + MOVE_TIMEOUT.toSeconds() + " s", StreamEntity.PublishRefused.Cause.NOT_MOVED)));
    }

    public void unpublish(StreamKey key, String publisherId) {
        clients.remove(publishers.remove(publisherId));
        if (!shuttingDown()) {
            // Not while the node stops, as for unsubscribe. A publisher's entity always runs on the publisher's node
            // (a publish is accepted only once the stream is placed there), so it stops or hands off with the node;
            // an incarnation elsewhere starts without a publisher.
            entity(key).tell(new StreamEntity.Unpublish(publisherId));
        }
    }

    public CompletionStage<StreamEntity.SubscribeReply> subscribe(StreamKey key, SubscriberQueue queue,
                                                                  String protocol, Duration waitForPublisher) {
        Optional<Long> forbidden = clients.forbiddenUntil(key);
        if (forbidden.isPresent()) {
            return CompletableFuture.completedFuture(new StreamEntity.NotLive(forbiddenReason(key, forbidden.get())));
        }
        Optional<String> unavailable = notServing();
        if (unavailable.isPresent()) {
            return CompletableFuture.completedFuture(new StreamEntity.Refused(unavailable.get(), "unavailable"));
        }
        Optional<String> full = viewerLimit(key, protocol);
        if (full.isPresent()) {
            return CompletableFuture.completedFuture(new StreamEntity.Refused(full.get(), "limit"));
        }
        CompletionStage<StreamEntity.SubscribeReply> reply = isLocal(key).thenCompose(local -> local
                ? entity(key).<StreamEntity.SubscribeReply>ask(replyTo -> new StreamEntity.Subscribe(queue, protocol,
                                waitForPublisher, () -> followMove(key, queue, protocol), replyTo),
                        ASK_TIMEOUT.plus(waitForPublisher))
                        .thenCompose(answer -> answer instanceof StreamEntity.Moved
                                ? subscribeThroughRelay(key, queue, protocol, waitForPublisher)
                                : CompletableFuture.completedFuture(answer))
                : subscribeThroughRelay(key, queue, protocol, waitForPublisher));
        return reply.thenApply(answer -> {
            if (answer instanceof StreamEntity.Subscribed) {
                subscribers.put(queue, clients.add(key, "subscriber", protocol, queue.subscriberId(),
                        () -> queue.end(SubscriberQueue.EndReason.KICKED)));
                if (queue.hasEnded()) {
                    // The subscriber already left while the answer was on its way, perhaps before this node knew
                    // where it would be attached (a relay, after a move): undo it wherever it is.
                    unsubscribe(key, queue);
                }
            }
            return answer;
        });
    }

    /**
     * Why this node serves no client now, if it does not: no seed node has let it into its cluster (a wrong seed
     * address, the seeds down), or it is leaving its cluster. Its streams' entities cannot run then, and a client
     * would wait for an answer that never comes, so it is refused at once instead. A node that has been let in and
     * is still Joining serves: its requests wait the moment until it is Up, as its peers already see it.
     */
    public Optional<String> notServing() {
        MemberStatus status = cluster.selfMember().status();
        if (status == MemberStatus.up() || status == MemberStatus.weaklyUp() || status == MemberStatus.joining()) {
            return Optional.empty();
        }
        // Before its first join a node's own member reads Removed, while its cluster extension still runs.
        boolean neverJoined = status == MemberStatus.removed() && !cluster.isTerminated();
        return Optional.of(neverJoined ? "this node has not joined its cluster yet; try another node or again later"
                : "this node is leaving its cluster; try another node");
    }

    /**
     * Why another viewer of {@code key} over {@code protocol} is refused, if it is: the node's or the stream's viewer
     * limit. {@link #subscribe} checks it too; this lets a protocol refuse before it spends anything on the viewer.
     */
    public Optional<String> viewerLimit(StreamKey key, String protocol) {
        if (outputs.contains(protocol)) {
            return Optional.empty();
        }
        if (limits.maxViewers() > 0 && clients.count("subscriber", null, outputs) >= limits.maxViewers()) {
            return Optional.of("this node is at its limit of " + limits.maxViewers() + " viewers");
        }
        if (limits.maxViewersPerStream() > 0
                && clients.count("subscriber", key, outputs) >= limits.maxViewersPerStream()) {
            return Optional.of("stream " + key + " is at its limit of " + limits.maxViewersPerStream()
                    + " viewers on this node");
        }
        return Optional.empty();
    }

    /** Who publishes and watches streams on this node, and the streams an operator forbade. */
    public StreamClients clients() {
        return clients;
    }

    /** Why new clients of {@code key} are refused on this node, while an operator forbids it. */
    public Optional<String> forbidden(StreamKey key) {
        return clients.forbiddenUntil(key).map(until -> forbiddenReason(key, until));
    }

    private static String forbiddenReason(StreamKey key, long untilMillis) {
        return "stream " + key + " is forbidden" + (untilMillis == Long.MAX_VALUE ? ""
                : " until " + java.time.Instant.ofEpochMilli(untilMillis));
    }

    public void unsubscribe(StreamKey key, SubscriberQueue queue) {
        clients.remove(subscribers.remove(queue));
        EdgeRelay relay = relayedViewers.remove(queue);
        if (relay != null) {
            relay.unsubscribe(queue);
        } else if (!shuttingDown()) {
            entity(key).tell(new StreamEntity.Unsubscribe(queue));
        }
        // While the node stops, its entities stop or hand off too: a message to one would only wait in the shard
        // region's buffer and hold its shutdown up to its timeout (10 s).
    }

    /**
     * The stream as this node sees it: the entity's status where it runs, the relay's (this node's viewers of a copy)
     * elsewhere. Where both are (the publisher came to a node whose viewers watched through its relay), the entity's
     * status with the relay's viewers in place of the relay.
     */
    public CompletionStage<StreamStatus> status(StreamKey key) {
        return isLocal(key).thenCompose(local -> status(key, local));
    }

    private CompletionStage<StreamStatus> status(StreamKey key, boolean local) {
        EdgeRelay relay = relays.get(key);
        if (!local) {
            return CompletableFuture.completedFuture(relay != null ? relay.status()
                    : new StreamStatus(key, false, false, null, Map.of(), StreamStats.EMPTY, 0));
        }
        CompletionStage<StreamStatus> here = entity(key).ask(StreamEntity.GetStatus::new, ASK_TIMEOUT);
        return relay == null ? here : here.thenApply(status -> withRelayViewers(status, relay.status()));
    }

    /**
     * The stream's status for a viewer that needs its codecs before it subscribes (an artc offer is answered with
     * them). Where the stream runs on another node, this node's relay is started if it is not there yet, kept up for
     * {@code hold} for the viewer's subscribe, and its status given once the copy's first keyframe has arrived.
     */
    public CompletionStage<StreamStatus> statusForNewViewer(StreamKey key, Duration hold) {
        return isLocal(key).thenCompose(local -> {
            if (local) {
                return status(key, true);
            }
            while (true) {
                EdgeRelay relay = relayFor(key);
                CompletionStage<StreamStatus> primed = relay.primedStatus(hold);
                if (primed == null) {
                    relays.remove(key, relay);
                    continue;
                }
                relay.startOnce(Duration.ZERO);
                return primed.toCompletableFuture().copy().orTimeout(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private EdgeRelay relayFor(StreamKey key) {
        return relays.computeIfAbsent(key,
                k -> new EdgeRelay(k, this, settings, system, ended -> relays.remove(k, ended)));
    }

    private static StreamStatus withRelayViewers(StreamStatus entity, StreamStatus relay) {
        Map<String, Integer> viewers = new java.util.HashMap<>(entity.viewers());
        viewers.remove(StreamEntity.RELAY_PROTOCOL);
        relay.viewers().forEach((protocol, count) -> viewers.merge(protocol, count, Integer::sum));
        return new StreamStatus(entity.key(), entity.publishing(), entity.inGrace(), entity.publisherAddress(),
                Map.copyOf(viewers), entity.stats(), entity.liveSinceMillis());
    }

    /** Streams this node relays from other nodes right now, with how many copies each has taken. */
    public Map<StreamKey, Long> relayCopies() {
        Map<StreamKey, Long> copies = new java.util.TreeMap<>(java.util.Comparator.comparing(StreamKey::id));
        relays.forEach((key, relay) -> copies.put(key, relay.copies()));
        return copies;
    }

    /** An edge relay's request for one copy of the stream, from wherever the entity runs. */
    CompletionStage<StreamEntity.RelayReply> subscribeRelay(StreamKey key, Duration waitForPublisher) {
        return entity(key).ask(replyTo -> new StreamEntity.SubscribeRelay(self.toString(),
                waitForPublisher.toMillis(), replyTo), ASK_TIMEOUT.plus(waitForPublisher));
    }

    /**
     * A viewer of the entity that ran here goes on through this node's relay, now that the stream lives on another
     * node (its publisher is there). It waits for the stream there as long as a publisher's grace period; its queue
     * ends if the stream does not come back.
     */
    private void followMove(StreamKey key, SubscriberQueue queue, String protocol) {
        if (shuttingDown()) {
            // The stream leaves because this node stops: its viewers here are about to be disconnected anyway, and
            // a relay asking for the stream would only hold the shutdown up.
            queue.end(SubscriberQueue.EndReason.END_OF_STREAM);
            return;
        }
        subscribeThroughRelay(key, queue, protocol, settings.publisherGrace()).whenComplete((answer, failure) -> {
            if (queue.hasEnded()) {
                // The viewer left during the move; its own unsubscribe may have gone to the entity that left.
                unsubscribe(key, queue);
                return;
            }
            if (answer instanceof StreamEntity.Subscribed) {
                log.info("stream {}: viewer {} follows the stream through this node's relay", key,
                        queue.subscriberId());
                return;
            }
            log.info("stream {}: viewer {} could not follow the stream ({})", key, queue.subscriberId(),
                    failure != null ? failure.toString() : answer);
            queue.end(SubscriberQueue.EndReason.END_OF_STREAM);
        });
    }

    /** Whether this node has begun to stop (Pekko's coordinated shutdown is running). */
    public boolean shuttingDown() {
        return CoordinatedShutdown.get(system).getShutdownReason().isPresent();
    }

    private CompletionStage<StreamEntity.SubscribeReply> subscribeThroughRelay(StreamKey key, SubscriberQueue queue,
                                                                                 String protocol, Duration wait) {
        while (true) {
            EdgeRelay relay = relayFor(key);
            CompletionStage<StreamEntity.SubscribeReply> reply = relay.subscribe(queue, protocol);
            if (reply == null) {
                relays.remove(key, relay);
                continue;
            }
            relayedViewers.put(queue, relay);
            relay.startOnce(wait);
            return reply.whenComplete((answer, failure) -> {
                if (!(answer instanceof StreamEntity.Subscribed)) {
                    relayedViewers.remove(queue);
                }
            });
        }
    }

    /**
     * Whether the stream's entity runs here, asked in short attempts for up to {@link #ASK_TIMEOUT}: a shard being
     * handed off to another node drops the messages buffered for it, and one lost "where are you" should cost a
     * couple of seconds, not the whole timeout.
     */
    private CompletionStage<Boolean> isLocal(StreamKey key) {
        return isLocalRetrying(key, System.nanoTime() + ASK_TIMEOUT.toNanos());
    }

    private CompletionStage<Boolean> isLocalRetrying(StreamKey key, long deadlineNanos) {
        return isLocal(key, LOCATE_DURING_MOVE).handle((local, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(local);
            }
            if (System.nanoTime() >= deadlineNanos) {
                return CompletableFuture.<Boolean>failedFuture(failure);
            }
            return isLocalRetrying(key, deadlineNanos);
        }).thenCompose(answer -> answer);
    }

    private CompletionStage<Boolean> isLocal(StreamKey key, Duration timeout) {
        return entity(key).ask(StreamEntity.Locate::new, timeout)
                .thenApply(located -> located.nodeAddress().equals(self.toString()));
    }

    /**
     * Places the stream's shard on this node and waits until the entity runs here. Asks that find no answer (the
     * stream's node just died and is not yet removed from the cluster) count as "not here yet".
     */
    private CompletionStage<Boolean> placeHere(StreamKey key) {
        long deadlineNanos = System.nanoTime() + MOVE_TIMEOUT.toNanos();
        return placement.setShardLocation(key.id(), self)
                .handle((done, failure) -> {
                    if (failure != null) {
                        log.warn("stream {}: could not record this node as the stream's place: {}", key,
                                failure.getMessage());
                    }
                    return done;
                })
                .thenCompose(done -> isLocal(key, LOCATE_DURING_MOVE).handle((local, failure) -> {
                    if (failure == null && local) {
                        return CompletableFuture.completedFuture(true);
                    }
                    log.info("stream {}: publisher here, moving the stream from where it runs ({})", key,
                            failure == null ? "another node" : "no answer yet: " + failure.getMessage());
                    return awaitLocal(key, deadlineNanos);
                }))
                .thenCompose(moved -> moved);
    }

    private CompletionStage<Boolean> awaitLocal(StreamKey key, long deadlineNanos) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        system.scheduler().scheduleOnce(MOVE_POLL, () -> isLocal(key, LOCATE_DURING_MOVE)
                .whenComplete((local, failure) -> {
                    if (failure == null && local) {
                        result.complete(true);
                    } else if (System.nanoTime() >= deadlineNanos) {
                        result.complete(false);
                    } else {
                        awaitLocal(key, deadlineNanos).whenComplete((later, f) -> result.complete(f == null && later));
                    }
                }), system.executionContext());
        return result;
    }

    private EntityRef<StreamEntity.Command> entity(StreamKey key) {
        return sharding.entityRefFor(StreamEntity.TYPE_KEY, key.id());
    }
}
