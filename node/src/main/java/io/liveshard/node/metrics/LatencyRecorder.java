package io.liveshard.node.metrics;

import io.liveshard.protocol.media.MediaFrame;
import java.lang.ref.Cleaner;

/**
 * Records, for one viewer, how long each frame spent in the node: from the moment its last byte was received from
 * the publisher to the moment the viewer's egress handed it to the socket. Frames the viewer got from the GOP cache
 * when it joined were received before it was there, so they are not counted: they measure the GOP, not the node.
 *
 * <p>The viewer's own buckets of {@code liveshard_server_latency_seconds} ({@link ServerLatencyHistogram}): one
 * thread at a time may call {@link #sent}, with a happens-before edge between them (an event loop, an actor, or a
 * lock the caller holds). {@link #close} when the viewer leaves; frames recorded after that are not counted. The
 * sum is kept in microseconds, so one recorder cannot overflow it (a shared HLS recorder counts seconds per request).
 */
public final class LatencyRecorder implements AutoCloseable {

    private static final long NANOS_PER_MICRO = 1000;

    private final long[] cells;
    private final long[] upperBoundsNanos;
    private final long sinceNanos;
    private final int sampleEveryDrains;
    private final Cleaner.Cleanable retire;

    /**
     * @param sampleEveryDrains how many of a viewer queue's drains share one recorded drain (1: every drain)
     * @param retire            moves {@code cells} into the series' totals; run on {@link #close} or once this is
     *                          garbage
     */
    LatencyRecorder(long[] cells, long[] upperBoundsNanos, long sinceNanos, int sampleEveryDrains, Cleaner cleaner,
                    Runnable retire) {
        this.cells = cells;
        this.upperBoundsNanos = upperBoundsNanos;
        this.sinceNanos = sinceNanos;
        this.sampleEveryDrains = sampleEveryDrains;
        this.retire = cleaner.register(this, retire);
    }

    /** Records a media frame being sent now; codec configs and metadata are skipped. */
    public void sent(MediaFrame frame, long nowNanos) {
        if (counts(frame, sinceNanos)) {
            sentAfter(nowNanos - frame.ingestNanos());
        }
    }

    /** Records media received at {@code ingestNanos} being sent now (HLS: the newest frame of a part or segment). */
    public void sent(long ingestNanos, long nowNanos) {
        if (counts(ingestNanos, sinceNanos)) {
            sentAfter(nowNanos - ingestNanos);
        }
    }

    /** Records a frame that spent {@code latencyNanos} in the node (below 0 counts as 0). */
    public void sentAfter(long latencyNanos) {
        sentAfter(latencyNanos, 1);
    }

    /**
     * Records a frame that spent {@code latencyNanos} in the node as {@code weight} frames: a sampled frame stands
     * for the frames of the drains that were not recorded.
     */
    public void sentAfter(long latencyNanos, int weight) {
        long latency = Math.max(0, latencyNanos);
        ServerLatencyHistogram.add(cells, ServerLatencyHistogram.SUM_CELL, micros(latency * weight));
        ServerLatencyHistogram.add(cells, ServerLatencyHistogram.FIRST_BUCKET_CELL + bucketOf(latency), weight);
    }

    /**
     * Records {@code count} frames that each spent no longer than the first bucket's bound in the node, their
     * latencies summing to {@code latencySumNanos}: what a {@link io.liveshard.node.stream.SubscriberQueue} gathers
     * from its drains.
     */
    public void sentWithinFirstBucket(long count, long latencySumNanos) {
        ServerLatencyHistogram.add(cells, ServerLatencyHistogram.SUM_CELL, micros(latencySumNanos));
        ServerLatencyHistogram.add(cells, ServerLatencyHistogram.FIRST_BUCKET_CELL, count);
    }

    /**
     * A viewer queue records one drain in this many, weighting its frames by the same number: 1 for the first
     * viewers of a stream and protocol, more beyond them (see {@link ServerLatencyHistogram}). Egress that calls
     * {@link #sent} itself (artc, HLS) records everything and ignores this.
     */
    public int sampleEveryDrains() {
        return sampleEveryDrains;
    }

    /** The first bucket's upper bound. */
    public long firstBucketNanos() {
        return upperBoundsNanos[0];
    }

    /** Frames received before this are not counted. */
    public long sinceNanos() {
        return sinceNanos;
    }

    /** Media (not a codec config or metadata) received since {@code sinceNanos} and stamped on arrival. */
    public static boolean counts(MediaFrame frame, long sinceNanos) {
        return !frame.config() && counts(frame.ingestNanos(), sinceNanos);
    }

    /** Media received after the viewer joined and stamped on arrival (0: never stamped) is counted. */
    private static boolean counts(long ingestNanos, long sinceNanos) {
        return ingestNanos >= sinceNanos && ingestNanos != 0;
    }

    /** Rounded to the nearest microsecond, so rounding does not bias the sum. */
    private static long micros(long nanos) {
        return (nanos + NANOS_PER_MICRO / 2) / NANOS_PER_MICRO;
    }

    private int bucketOf(long latencyNanos) {
        int bucket = 0;
        // Linear: nearly every frame leaves within a millisecond, i.e. in the first buckets.
        while (bucket < upperBoundsNanos.length && latencyNanos > upperBoundsNanos[bucket]) {
            bucket++;
        }
        return bucket;
    }

    /** The viewer left: its counts join the stream's totals. Idempotent. */
    @Override
    public void close() {
        retire.clean();
    }
}
