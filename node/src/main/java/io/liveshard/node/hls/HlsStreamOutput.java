package io.liveshard.node.hls;

import io.liveshard.node.metrics.LatencyRecorder;
import io.liveshard.node.metrics.TrafficMeter;
import io.liveshard.node.stream.SlowConsumerPolicy;
import io.liveshard.node.stream.SubscriberQueue;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stream's HLS output on this node: a subscriber of the stream whose frames an {@link HlsMuxing} turns into
 * segments, plus what HTTP requests need (the current window, when it was last asked for, which clients watch).
 * It exists only while HLS clients ask for the stream, so streams nobody watches over HLS cost nothing.
 *
 * <p>Frames are drained on the media executor, one drain at a time; HTTP requests only read the volatile window.
 */
final class HlsStreamOutput<M extends HlsMuxing> {

    private final StreamKey key;
    private final M muxing;
    private final SubscriberQueue queue;
    private final Executor executor;
    private final LatencyRecorder latency;
    /** Segments and parts sent count as the stream's HLS (or LL-HLS) traffic. */
    private final TrafficMeter.Series traffic;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final List<MediaFrame> batch = new ArrayList<>();
    private final CompletableFuture<M> firstSegment = new CompletableFuture<>();
    private final ConcurrentHashMap<String, Long> viewersLastSeen = new ConcurrentHashMap<>();
    private volatile long lastRequestNanos = System.nanoTime();
    private volatile boolean ended;

    HlsStreamOutput(StreamKey key, M muxing, SlowConsumerPolicy policy, Executor executor, LatencyRecorder latency,
                    TrafficMeter.Series traffic) {
        this.key = key;
        this.traffic = traffic;
        this.latency = latency;
        this.muxing = muxing;
        this.executor = executor;
        this.queue = new SubscriberQueue("hls-muxer", policy, this::scheduleDrain);
    }

    StreamKey key() {
        return key;
    }

    SubscriberQueue queue() {
        return queue;
    }

    M muxing() {
        return muxing;
    }

    long nextSequence() {
        return muxing.nextSequence();
    }

    /** Completes once the muxing has something to list (or the stream ended). */
    CompletableFuture<M> firstSegment() {
        return firstSegment;
    }

    /** No more frames will come: the stream ended, or the output was stopped. */
    boolean ended() {
        return ended;
    }

    /**
     * A segment or part whose newest frame the node received at {@code newestIngestNanos} is being sent: the time
     * since then goes into the stream's server-latency histogram. It includes waiting for the part or segment to
     * fill, and how far behind the live edge the client chose to ask. Requests on many threads share the recorder.
     */
    void sending(long newestIngestNanos, int bytes) {
        latency.sent(newestIngestNanos, System.nanoTime());
        traffic.sent(bytes);
    }

    /** The output stopped: requests it still answers are not counted. */
    void stopped() {
        latency.close();
    }

    /** Records an HLS request from {@code client} (address and user agent, or a session id). */
    void touch(String client) {
        long now = System.nanoTime();
        lastRequestNanos = now;
        viewersLastSeen.put(client, now);
    }

    long lastRequestNanos() {
        return lastRequestNanos;
    }

    /** Clients whose last request is within {@code windowNanos}; older ones are forgotten. */
    int viewers(long windowNanos) {
        long now = System.nanoTime();
        viewersLastSeen.values().removeIf(seen -> now - seen > windowNanos);
        return viewersLastSeen.size();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /**
     * Runs on the media executor. The flag is cleared before draining, so a frame arriving during the drain
     * schedules another run rather than being missed; the lock keeps two runs from feeding the segmenter at once.
     */
    private void drain() {
        drainScheduled.set(false);
        synchronized (muxing) {
            while (true) {
                batch.clear();
                if (queue.drainTo(batch) == 0) {
                    break;
                }
                for (MediaFrame frame : batch) {
                    muxing.accept(frame);
                }
            }
            if (!ended && queue.endReason() == SubscriberQueue.EndReason.END_OF_STREAM) {
                ended = true;
                muxing.end();
            } else if (!ended && queue.endReason() != null) {
                ended = true;
            }
            if (muxing.ready() || ended) {
                firstSegment.complete(muxing);
            }
        }
    }
}
