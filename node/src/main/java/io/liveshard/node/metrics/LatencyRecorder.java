package io.liveshard.node.metrics;

import io.liveshard.protocol.media.MediaFrame;
import java.lang.ref.Cleaner;

/**
 * Records, for one viewer, how long each frame spent in the node: from the moment its last byte was received from
 * the publisher to the moment the viewer's egress handed it to the socket. Frames the viewer got from the GOP cache
 * when it joined were received before it was there, so they are not counted: they measure the GOP, not the node.
 *
 * <p>It adds to its stream's and protocol's series of {@code liveshard_server_latency_seconds}
 * ({@link ServerLatencyHistogram}), from any thread. {@link #close} when the viewer leaves; frames recorded after
 * that are not counted. The sum is kept in microseconds, so it cannot overflow (a shared HLS recorder counts
 * seconds per request).
 */
public final class LatencyRecorder implements AutoCloseable {

    private static final long NANOS_PER_MICRO = 1000;

    private final ServerLatencyHistogram.Counts counts;
    private final long[] upperBoundsNanos;
    private final long sinceNanos;
    private final int sampleEveryDrains;
    /**
     * The viewer leaves its series, run once on {@link #close}: an exact viewer's registered clean-up (which also
     * runs once the recorder is garbage, if nobody closed it), or a sampling viewer's series-wide action.
     */
    private final Runnable leave;
    private volatile boolean closed;

    /** @param cleaner also runs {@code leave} once the recorder is garbage; null: only {@link #close} does */
    private LatencyRecorder(ServerLatencyHistogram.Counts counts, long[] upperBoundsNanos, long sinceNanos,
                            int sampleEveryDrains, Cleaner cleaner, Runnable leave) {
        this.counts = counts;
        this.upperBoundsNanos = upperBoundsNanos;
        this.sinceNanos = sinceNanos;
        this.sampleEveryDrains = sampleEveryDrains;
        this.leave = cleaner == null ? leave : cleaner.register(this, leave)::clean;
    }

    /**
     * A recorder of every frame, holding one of its series' exact places.
     *
     * @param giveBack gives the place back; run on {@link #close} or once the recorder is garbage
     */
    static LatencyRecorder exact(ServerLatencyHistogram.Counts counts, long[] upperBoundsNanos, long sinceNanos,
                                 Cleaner cleaner, Runnable giveBack) {
        return new LatencyRecorder(counts, upperBoundsNanos, sinceNanos, 1, cleaner, giveBack);
    }

    /**
     * A recorder whose queue records one drain in {@code sampleEveryDrains}.
     *
     * @param left run once, on {@link #close}: the viewer leaves its series' audience
     */
    static LatencyRecorder sampling(ServerLatencyHistogram.Counts counts, long[] upperBoundsNanos, long sinceNanos,
                                    int sampleEveryDrains, Runnable left) {
        return new LatencyRecorder(counts, upperBoundsNanos, sinceNanos, sampleEveryDrains, null, left);
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
        if (closed) {
            return;
        }
        long latency = Math.max(0, latencyNanos);
        counts.add(bucketOf(latency), weight, micros(latency * weight));
    }

    /**
     * Records {@code count} frames that each spent no longer than the first bucket's bound in the node, their
     * latencies summing to {@code latencySumNanos}: what a {@link io.liveshard.node.stream.SubscriberQueue} gathers
     * from its drains.
     */
    public void sentWithinFirstBucket(long count, long latencySumNanos) {
        if (!closed) {
            counts.add(0, count, micros(latencySumNanos));
        }
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

    /** The viewer left: what it sends from now on is not counted, and an exact viewer's place is free. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        leave.run();
    }
}
