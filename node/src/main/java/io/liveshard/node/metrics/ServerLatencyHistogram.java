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
 * records one in N of its queue's drains (each with that chance, independently), counting each of their frames N
 * times, so the histogram still estimates every frame sent (an unbiased estimate: whether a drain is recorded does
 * not depend on its latency or its place in the stream). N is {@code sampleEveryDrains} while the series has fewer
 * than twice that many viewers, and grows with the audience: the number of viewers the series has when the new one
 * joins, rounded down to a power of two, at most {@value #MAX_SAMPLE_EVERY_DRAINS}. Every doubling of the audience
 * then adds about one recorded drain per frame to the series instead of doubling them, so the histogram gets
 * roughly the same number of samples a second from a hundred viewers as from ten thousand, and the cost per frame
 * and viewer falls as the audience grows (what each recorded drain costs, a clock reading and a random draw, shows
 * in the fan-out benchmark; docs/PERFORMANCE.md). What each recorded drain measures is still the node's whole path.
 * An exact viewer's place is given back when its recorder is {@linkplain LatencyRecorder#close closed}, or, should
 * an egress end without closing it, once the recorder is garbage; such an egress loses only what its queue had not
 * handed over yet (at most its last 100 ms). A sampling viewer leaves the audience count when it is closed; one
 * that is never closed stays counted, which only makes later viewers sample more sparsely.
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

    /** A series' counts, its viewers, and how many of them record every frame. */
    private final class Series {
        private final SeriesKey key;
        private final Counts counts = new Counts(upperBounds.length);
        /** What a sampling recorder runs when it is closed: one per series, so a recorder holds no object of its own. */
        private final Runnable samplingViewerLeft = this::samplingViewerLeft;
        private int viewers;
        private int exactLive;

        Series(SeriesKey key) {
            this.key = key;
        }

        /** A viewer joins. @return how many drains share one recorded drain for it: 1 when it records every frame */
        synchronized int join() {
            int before = viewers++;
            if (exactLive < exactViewers) {
                exactLive++;
                return 1;
            }
            return sampleEveryDrains(sampleEveryDrains, before);
        }

        synchronized void exactViewerLeft() {
            exactLive--;
            viewers--;
        }

        synchronized void samplingViewerLeft() {
            viewers--;
        }

        synchronized int exactLive() {
            return exactLive;
        }

        synchronized int viewers() {
            return viewers;
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
     * @param sampleEveryDrains how many drains share one recorded drain for the recorders beyond those, while the
     *                          series' audience is small (see the class comment)
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
        int every = one.join();
        if (every == 1) {
            return LatencyRecorder.exact(one.counts, upperBoundsNanos, sinceNanos, ABANDONED,
                    new GiveBack(one));
        }
        return LatencyRecorder.sampling(one.counts, upperBoundsNanos, sinceNanos, every, one.samplingViewerLeft);
    }

    /**
     * How many drains share one recorded drain for a sampling viewer who joins a series of {@code viewersBefore}
     * viewers: {@code base} while they are fewer than {@code 2 * base}, then their number rounded down to a power of
     * two, at most {@value #MAX_SAMPLE_EVERY_DRAINS}; always 1 when {@code base} is 1 (every frame recorded).
     */
    static int sampleEveryDrains(int base, int viewersBefore) {
        if (base == 1) {
            return 1;
        }
        return Math.min(MAX_SAMPLE_EVERY_DRAINS, Math.max(base, Integer.highestOneBit(viewersBefore)));
    }

    /** Exact places taken, over every series (for tests: that closed and abandoned recorders give theirs back). */
    int exactPlacesTaken() {
        return series.values().stream().mapToInt(Series::exactLive).sum();
    }

    /** Viewers counted, over every series (for tests: that closed recorders leave). */
    int viewersCounted() {
        return series.values().stream().mapToInt(Series::viewers).sum();
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
            series.exactViewerLeft();
        }
    }
}
