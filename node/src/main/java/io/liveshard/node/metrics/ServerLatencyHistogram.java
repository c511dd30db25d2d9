package io.liveshard.node.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code liveshard_server_latency_seconds}: a Prometheus histogram whose every viewer counts into its own buckets.
 *
 * <p>Why not the client library's histogram: a viewer's egress records the frames it sends, so the histogram is
 * on the fan-out's hot path, per frame and viewer. The library's observation takes several atomic
 * read-modify-writes on counters shared by all viewers of a stream; here a viewer's egress is the only writer of
 * its buckets and increments them with a plain load and an opaque store (a plain move on x86, no lock prefix). The
 * scrape (about once a second) sums, per stream and protocol, the buckets of the viewers still there and the totals
 * of those that left.
 *
 * <p>A viewer's buckets join the totals when its recorder is {@linkplain LatencyRecorder#close closed}, or, should
 * an egress end without closing it, once the recorder is garbage: nothing leaks, and its counts are kept (but for
 * what a {@link io.liveshard.node.stream.SubscriberQueue} had not handed over yet, at most its last 100 ms).
 *
 * <p>Sampling: up to {@code exactViewers} viewers of a stream per protocol on this node record every frame (the
 * first to come, and whoever comes after one of them left). A viewer who joins while that many are recording
 * records one in {@code sampleEveryDrains} of its queue's drains (each with that chance, independently), counting
 * each of their frames that many times, so the histogram still estimates every frame sent (an unbiased estimate:
 * whether a drain is recorded does not depend on its latency or its place in the stream). The recording then costs a
 * large audience little per frame and viewer, and what each recorded drain measures is still the node's whole path.
 */
final class ServerLatencyHistogram implements Collector {

    static final String NAME = "liveshard_server_latency_seconds";
    private static final String HELP =
            "Time from a frame's arrival from the publisher to its hand-off to a viewer's socket";
    /** Lets the scrape read what viewers' event loops write, without making their writes any dearer. */
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);
    /** Retires the buckets of recorders nobody closed; one thread for the whole JVM. */
    private static final Cleaner ABANDONED = Cleaner.create();
    private static final double NANOS_PER_SECOND = 1e9;
    private static final double MICROS_PER_SECOND = 1e6;
    /** Keeps a weighted latency (a viewer's whole session at most, times the weight) far from overflowing. */
    static final int MAX_SAMPLE_EVERY_DRAINS = 1024;
    /**
     * A viewer's cells: the sum of its latencies in microseconds, then a count per bucket (not cumulative). The sum
     * and the first buckets, where nearly every frame lands, share a cache line.
     */
    static final int SUM_CELL = 0;
    static final int FIRST_BUCKET_CELL = 1;

    /** One series: a stream (or {@code _other}) and a protocol. */
    private record SeriesKey(String app, String stream, String protocol) {}

    /** A series' counts: the live viewers' cells and the totals of those that left. */
    private final class Series {
        private final SeriesKey key;
        private final long[] retired = new long[cellCount()];
        private final Set<long[]> live = Collections.newSetFromMap(new IdentityHashMap<>());
        private int exactLive;

        Series(SeriesKey key) {
            this.key = key;
        }

        /** @return true when the new recorder records every frame, false when it samples */
        synchronized boolean join(long[] cells) {
            live.add(cells);
            if (exactLive < exactViewers) {
                exactLive++;
                return true;
            }
            return false;
        }

        /** Moves a viewer's counts into the totals, at most once. */
        synchronized void retire(long[] cells, boolean exact) {
            if (live.remove(cells)) {
                if (exact) {
                    exactLive--;
                }
                for (int i = 0; i < cells.length; i++) {
                    retired[i] += (long) CELL.getOpaque(cells, i);
                }
            }
        }

        synchronized long[] total() {
            long[] total = retired.clone();
            for (long[] cells : live) {
                for (int i = 0; i < cells.length; i++) {
                    total[i] += (long) CELL.getOpaque(cells, i);
                }
            }
            return total;
        }

        synchronized int liveRecorders() {
            return live.size();
        }
    }

    private final double[] upperBounds;
    private final long[] upperBoundsNanos;
    private final int exactViewers;
    private final int sampleEveryDrains;
    private final Map<SeriesKey, Series> series = new ConcurrentHashMap<>();

    /**
     * @param upperBounds       the finite bucket bounds in seconds, ascending; {@code +Inf} is added
     * @param exactViewers      recorders per series that record every frame
     * @param sampleEveryDrains how many drains share one recorded drain for the recorders beyond those
     */
    ServerLatencyHistogram(double[] upperBounds, int exactViewers, int sampleEveryDrains) {
        if (exactViewers < 0 || sampleEveryDrains < 1 || sampleEveryDrains > MAX_SAMPLE_EVERY_DRAINS) {
            throw new IllegalArgumentException("server latency sampling: exact viewers " + exactViewers
                    + " must be at least 0, drains per sample " + sampleEveryDrains + " from 1 to "
                    + MAX_SAMPLE_EVERY_DRAINS);
        }
        this.exactViewers = exactViewers;
        this.sampleEveryDrains = sampleEveryDrains;
        this.upperBounds = Arrays.copyOf(upperBounds, upperBounds.length + 1);
        this.upperBounds[upperBounds.length] = Double.POSITIVE_INFINITY;
        this.upperBoundsNanos = Arrays.stream(upperBounds).mapToLong(s -> Math.round(s * NANOS_PER_SECOND)).toArray();
    }

    /** A recorder for one viewer; frames received before {@code sinceNanos} are not counted. */
    LatencyRecorder recorder(String app, String stream, String protocol, long sinceNanos) {
        Series one = series.computeIfAbsent(new SeriesKey(app, stream, protocol), Series::new);
        long[] cells = new long[cellCount()];
        boolean exact = one.join(cells);
        return new LatencyRecorder(cells, upperBoundsNanos, sinceNanos, exact ? 1 : sampleEveryDrains, ABANDONED,
                new Retire(one, cells, exact));
    }

    /** Recorders whose buckets are still their own (for tests: that closed and abandoned ones are retired). */
    int liveRecorders() {
        return series.values().stream().mapToInt(Series::liveRecorders).sum();
    }

    /** One writer's increment of its own cell: a plain load and an opaque store (no lock, no atomic add). */
    static void add(long[] cells, int index, long amount) {
        CELL.setOpaque(cells, index, cells[index] + amount);
    }

    @Override
    public HistogramSnapshot collect() {
        HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(NAME).help(HELP);
        for (Series one : series.values()) {
            long[] total = one.total();
            snapshot.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(Labels.of("app", one.key.app(), "protocol", one.key.protocol(),
                            "stream", one.key.stream()))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds,
                            Arrays.copyOfRange(total, FIRST_BUCKET_CELL, FIRST_BUCKET_CELL + upperBounds.length)))
                    .sum(total[SUM_CELL] / MICROS_PER_SECOND)
                    .build());
        }
        return snapshot.build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }

    private int cellCount() {
        return upperBounds.length + 1;
    }

    /** The clean-up action: holds the buckets and their series, never the recorder (or it would never be garbage). */
    private record Retire(Series series, long[] cells, boolean exact) implements Runnable {
        @Override
        public void run() {
            series.retire(cells, exact);
        }
    }
}
