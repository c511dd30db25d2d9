package io.liveshard.node.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code liveshard_server_latency_seconds}: a Prometheus histogram per stream and protocol, which every viewer's
 * egress records into through its own {@link LatencyRecorder}.
 *
 * <p>Each series counts in {@link LongAdder}s, one per bucket and one for the sum, shared by its viewers' recorders:
 * egress on several event loops adds without contending for one cache line. Little is added per frame and viewer:
 * an RTMP or HTTP-FLV viewer's queue sums its fast frames up and hands them over every 100 ms, and samples its
 * drains beyond a stream's first viewers (below); artc adds per frame, HLS per request. A viewer therefore owns no
 * buckets, and a recorder is a few fields: the fan-out walks a thousand viewers' queues per frame, and whatever
 * hangs off each queue spreads them over more memory (measured in docs/PERFORMANCE.md, "Fan-out with and without
 * the latency work").
 *
 * <p>Sampling: up to {@code exactViewers} viewers of a stream per protocol on this node record every frame (the
 * first to come, and whoever comes after one of them left). A viewer who joins while that many are recording
 * records one in {@code sampleEveryDrains} of its queue's drains (each with that chance, independently), counting
 * each of their frames that many times, so the histogram still estimates every frame sent (an unbiased estimate:
 * whether a drain is recorded does not depend on its latency or its place in the stream). The recording then costs a
 * large audience little per frame and viewer, and what each recorded drain measures is still the node's whole path.
 * An exact viewer's place is given back when its recorder is {@linkplain LatencyRecorder#close closed}, or, should
 * an egress end without closing it, once the recorder is garbage; such an egress loses only what its queue had not
 * handed over yet (at most its last 100 ms).
 */
final class ServerLatencyHistogram implements Collector {

    static final String NAME = "liveshard_server_latency_seconds";
    private static final String HELP =
            "Time from a frame's arrival from the publisher to its hand-off to a viewer's socket";
    /** Gives back the exact places of recorders nobody closed; one thread for the whole JVM. */
    private static final Cleaner ABANDONED = Cleaner.create();
    private static final double MICROS_PER_SECOND = 1e6;
    private static final double NANOS_PER_SECOND = 1e9;
    /** Keeps a weighted latency (a viewer's whole session at most, times the weight) far from overflowing. */
    static final int MAX_SAMPLE_EVERY_DRAINS = 1024;

    /** One series: a stream (or {@code _other}) and a protocol. */
    private record SeriesKey(String app, String stream, String protocol) {}

    /** A series' counts and how many of its viewers record every frame. */
    private final class Series {
        private final SeriesKey key;
        private final Counts counts = new Counts(upperBounds.length);
        private int exactLive;

        Series(SeriesKey key) {
            this.key = key;
        }

        /** @return true when the new recorder records every frame, false when it samples */
        synchronized boolean takeExactPlace() {
            if (exactLive < exactViewers) {
                exactLive++;
                return true;
            }
            return false;
        }

        synchronized void giveBackExactPlace() {
            exactLive--;
        }

        synchronized int exactLive() {
            return exactLive;
        }
    }

    /**
     * What a series has counted: the sum of its latencies in microseconds and a count per bucket (not cumulative),
     * {@code +Inf} last.
     */
    static final class Counts {
        private final LongAdder sumMicros = new LongAdder();
        private final LongAdder[] buckets;

        Counts(int buckets) {
            this.buckets = new LongAdder[buckets];
            Arrays.setAll(this.buckets, i -> new LongAdder());
        }

        void add(int bucket, long count, long micros) {
            buckets[bucket].add(count);
            sumMicros.add(micros);
        }

        long[] perBucket() {
            return Arrays.stream(buckets).mapToLong(LongAdder::sum).toArray();
        }

        long sumMicros() {
            return sumMicros.sum();
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
        if (one.takeExactPlace()) {
            return LatencyRecorder.exact(one.counts, upperBoundsNanos, sinceNanos, ABANDONED,
                    new GiveBack(one));
        }
        return LatencyRecorder.sampling(one.counts, upperBoundsNanos, sinceNanos, sampleEveryDrains);
    }

    /** Exact places taken, over every series (for tests: that closed and abandoned recorders give theirs back). */
    int exactPlacesTaken() {
        return series.values().stream().mapToInt(Series::exactLive).sum();
    }

    @Override
    public HistogramSnapshot collect() {
        HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(NAME).help(HELP);
        for (Series one : series.values()) {
            snapshot.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(Labels.of("app", one.key.app(), "protocol", one.key.protocol(),
                            "stream", one.key.stream()))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, one.counts.perBucket()))
                    .sum(one.counts.sumMicros() / MICROS_PER_SECOND)
                    .build());
        }
        return snapshot.build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }

    /** The clean-up action: holds the series, never the recorder (or it would never be garbage). */
    private record GiveBack(Series series) implements Runnable {
        @Override
        public void run() {
            series.giveBackExactPlace();
        }
    }
}
