package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream as this node serves it when its entity runs on another node: one copy crosses from the owner, and a
 * local {@link StreamFanout} (with its own GOP cache) hands it to every local viewer of every protocol, exactly as
 * the owner's fan-out does for its own viewers. Created for the first local viewer, stopped after the last.
 *
 * <p>Lifecycle: ATTACHING (asked the owner for a copy) → COPYING (frames flow; viewers are attached once a keyframe
 * is cached, so they start instantly) → ENDED. When the copy breaks (the owner's node died, or the stream moved to
 * a new publisher's node) while viewers remain, the relay asks again for up to the publisher grace period; its
 * viewers stay connected and the fan-out continues their timestamps. The owner says when the stream really ended.
 */
final class EdgeRelay {

    private static final Logger log = LoggerFactory.getLogger(EdgeRelay.class);
    private static final Duration REATTACH_INTERVAL = Duration.ofSeconds(1);

    private enum State { ATTACHING, COPYING, WAITING_TO_REATTACH, ENDED }

    private record Pending(SubscriberQueue queue, String protocol, CompletableFuture<StreamEntity.SubscribeReply> reply) {}

    private final StreamKey key;
    private final StreamDirectory directory;
    private final StreamSettings settings;
    private final ActorSystem<?> system;
    private final Consumer<EdgeRelay> onEnded;
    private final StreamFanout fanout;
    private final Map<SubscriberQueue, String> viewers = new IdentityHashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    /** Callers of {@link #primedStatus} waiting for the copy's first keyframe. */
    private final List<CompletableFuture<StreamStatus>> awaitingPrimed = new ArrayList<>();

    private State state = State.ATTACHING;
    private boolean started;
    private boolean primed;
    private long reattachDeadlineNanos;
    private UniqueKillSwitch copy;
    private long copies;
    /** The owner's figures for the current copy: since when the stream is live, its publisher's address. */
    private long liveSinceMillis;
    private String publisherAddress;
    /** Until then the relay stays up without viewers: a viewer announced by {@link #primedStatus} is on its way. */
    private long heldUntilNanos;

    EdgeRelay(StreamKey key, StreamDirectory directory, StreamSettings settings, ActorSystem<?> system,
              Consumer<EdgeRelay> onEnded) {
        this.key = key;
        this.directory = directory;
        this.settings = settings;
        this.system = system;
        this.onEnded = onEnded;
        this.fanout = new StreamFanout(key, settings.gopMaxFrames(), settings.gopMaxBytes());
    }

    /**
     * Starts asking the owner for the stream, once (the first viewer's call); {@code wait} is how long the owner may
     * wait for a publisher.
     */
    void startOnce(Duration wait) {
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
        }
        attach(wait);
    }

    /** Null when the relay has ended: the caller makes a new one. */
    synchronized CompletionStage<StreamEntity.SubscribeReply> subscribe(SubscriberQueue queue, String protocol) {
        if (state == State.ENDED) {
            return null;
        }
        if (primed) {
            fanout.attach(queue);
            viewers.put(queue, protocol);
            return CompletableFuture.completedFuture(new StreamEntity.Subscribed(status()));
        }
        Pending waiting = new Pending(queue, protocol, new CompletableFuture<>());
        pending.add(waiting);
        return waiting.reply();
    }

    synchronized void unsubscribe(SubscriberQueue queue) {
        pending.removeIf(p -> p.queue() == queue);
        if (viewers.remove(queue) != null) {
            fanout.detach(queue, SubscriberQueue.EndReason.CANCELLED);
        }
        if (unused()) {
            log.info("relay {}: last local viewer left, releasing the copy", key);
            end(SubscriberQueue.EndReason.CANCELLED, "no local viewer");
        }
    }

    /**
     * The copy's status once its first keyframe is here, for a viewer that needs the stream's codecs before it
     * subscribes: an artc offer is answered with them, and its session subscribes only after ICE and DTLS. The
     * relay stays up for {@code hold} without viewers, so that subscribe finds the copy flowing. Not live if the
     * owner has no such stream; null when the relay has ended (the caller makes a new one).
     */
    synchronized CompletionStage<StreamStatus> primedStatus(Duration hold) {
        if (state == State.ENDED) {
            return null;
        }
        heldUntilNanos = Math.max(heldUntilNanos, System.nanoTime() + hold.toNanos());
        system.scheduler().scheduleOnce(hold, this::releaseIfUnused, system.executionContext());
        if (primed) {
            return CompletableFuture.completedFuture(status());
        }
        CompletableFuture<StreamStatus> status = new CompletableFuture<>();
        awaitingPrimed.add(status);
        return status;
    }

    /** At the end of a hold: ends the relay if no viewer came; a hold extended since is checked again at its end. */
    private synchronized void releaseIfUnused() {
        if (!viewers.isEmpty() || !pending.isEmpty() || state == State.ENDED) {
            return;
        }
        long heldFor = heldUntilNanos - System.nanoTime();
        if (heldFor > 0) {
            system.scheduler().scheduleOnce(Duration.ofNanos(heldFor), this::releaseIfUnused,
                    system.executionContext());
        } else {
            log.info("relay {}: no local viewer came, releasing the copy", key);
            end(SubscriberQueue.EndReason.CANCELLED, "no local viewer");
        }
    }

    /**
     * No viewer, none waiting for the copy, and no hold: the copy is for nobody. Callers still waiting for
     * {@link #primedStatus} do not keep it: their offers time out, and {@link #end} answers them.
     */
    private boolean unused() {
        return viewers.isEmpty() && pending.isEmpty() && state != State.ENDED
                && System.nanoTime() - heldUntilNanos >= 0;
    }

    /** This node's view of the stream: live while a copy flows, its local viewers, the copy's counters. */
    synchronized StreamStatus status() {
        Map<String, Integer> byProtocol = new HashMap<>();
        for (String protocol : viewers.values()) {
            byProtocol.merge(protocol, 1, Integer::sum);
        }
        boolean copying = state == State.COPYING;
        return new StreamStatus(key, copying, state == State.WAITING_TO_REATTACH, publisherAddress,
                Map.copyOf(byProtocol), fanout.stats(), liveSinceMillis);
    }

    /** How many copies of the stream this relay has taken from owners (1, plus one per re-attach). */
    synchronized long copies() {
        return copies;
    }

    private void attach(Duration wait) {
        directory.subscribeRelay(key, wait).whenComplete((reply, failure) -> {
            if (reply instanceof StreamEntity.RelayAttached attached) {
                startCopy(attached);
            } else {
                String reason = failure != null ? "the owner did not answer: " + failure.getMessage()
                        : ((StreamEntity.RelayNotLive) reply).reason();
                copyUnavailable(reason);
            }
        });
    }

    private synchronized void startCopy(StreamEntity.RelayAttached attached) {
        if (state == State.ENDED) {
            return;
        }
        state = State.COPYING;
        copies++;
        liveSinceMillis = attached.liveSinceMillis();
        publisherAddress = attached.publisherAddress();
        // A new copy may come from a new publisher: its timestamps continue after the last frame viewers got.
        fanout.beginPublisher();
        log.info("relay {}: copying the stream from its owner (copy {})", key, copies);
        RelayFrameDecoder decoder = new RelayFrameDecoder();
        var running = attached.frames().getSource()
                .viaMat(KillSwitches.single(), Keep.right())
                .toMat(Sink.foreach(message -> onMessage(decoder, message)), Keep.both())
                .run(Materializer.matFromSystem(system));
        copy = running.first();
        running.second().whenComplete((done, failure) -> copyEnded(failure));
    }

    private void onMessage(RelayFrameDecoder decoder, ByteString message) {
        for (MediaFrame frame : decoder.accept(message)) {
            fanout.publish(frame);
            // Primed by the first keyframe, or the first audio frame of a stream without video; not by metadata,
            // which comes ahead of the codec configs: a viewer answered from the status needs those.
            if (!primed && frame.kind() != MediaKind.DATA && !frame.config()
                    && (frame.isVideo() ? frame.keyframe() : !fanout.stats().hasVideo())) {
                attachPending();
            }
        }
        if (decoder.ended()) {
            synchronized (this) {
                log.info("relay {}: the stream ended at its owner", key);
                end(SubscriberQueue.EndReason.END_OF_STREAM, "stream " + key + " ended");
            }
        }
    }

    private synchronized void attachPending() {
        primed = true;
        for (Pending waiting : pending) {
            fanout.attach(waiting.queue());
            viewers.put(waiting.queue(), waiting.protocol());
            waiting.reply().complete(new StreamEntity.Subscribed(status()));
        }
        pending.clear();
        StreamStatus status = status();
        awaitingPrimed.forEach(waiting -> waiting.complete(status));
        awaitingPrimed.clear();
    }

    /** The copy stopped without the owner saying the stream ended: its node left, or the stream moved. */
    private synchronized void copyEnded(Throwable failure) {
        copy = null;
        if (state == State.ENDED) {
            return;
        }
        log.info("relay {}: the copy stopped ({}); asking the owner again for up to {}", key,
                failure == null ? "the owner let go" : failure.getMessage(), settings.publisherGrace());
        reattachDeadlineNanos = System.nanoTime() + settings.publisherGrace().toNanos();
        state = State.WAITING_TO_REATTACH;
        scheduleReattach();
    }

    private synchronized void copyUnavailable(String reason) {
        if (state == State.ENDED) {
            return;
        }
        if (state == State.ATTACHING) {
            end(SubscriberQueue.EndReason.END_OF_STREAM, reason);
        } else if (System.nanoTime() >= reattachDeadlineNanos) {
            log.info("relay {}: no owner came back within the grace period ({})", key, reason);
            end(SubscriberQueue.EndReason.END_OF_STREAM, reason);
        } else {
            scheduleReattach();
        }
    }

    private void scheduleReattach() {
        system.scheduler().scheduleOnce(REATTACH_INTERVAL, () -> {
            synchronized (this) {
                if (state != State.WAITING_TO_REATTACH) {
                    return;
                }
            }
            attach(REATTACH_INTERVAL);
        }, system.executionContext());
    }

    private void end(SubscriberQueue.EndReason reason, String why) {
        state = State.ENDED;
        if (copy != null) {
            copy.shutdown();
            copy = null;
        }
        for (Pending waiting : pending) {
            waiting.reply().complete(new StreamEntity.NotLive(why));
        }
        pending.clear();
        StreamStatus notLive = status();
        awaitingPrimed.forEach(waiting -> waiting.complete(notLive));
        awaitingPrimed.clear();
        viewers.clear();
        fanout.endAll(reason);
        onEnded.accept(this);
    }
}
