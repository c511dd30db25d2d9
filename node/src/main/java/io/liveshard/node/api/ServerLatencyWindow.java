package io.liveshard.node.api;

import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.protocol.media.StreamKey;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server latency percentiles over the last few seconds, from the cumulative Prometheus histogram: {@link #sample}
 * (called once a second) keeps the bucket counts of the last {@code windowSamples} scrapes, and a percentile is
 * read from the difference between the newest and the oldest, i.e. from the frames sent in between. Streams past
 * the metrics' cardinality bound share the {@code _other} series and have no percentiles of their own.
 */
public final class ServerLatencyWindow {

    private static final double MILLIS_PER_SECOND = 1000;

    /** One series: a stream and protocol. */
    private record Series(String app, String stream, String protocol) {}

    /** Bucket upper bounds (seconds) and counts per bucket (not cumulative) of every series at one moment. */
    private record Scrape(Map<Series, long[]> counts, double[] upperBounds) {}

    private final NodeMetrics metrics;
    private final int windowSamples;
    private final Deque<Scrape> scrapes = new ArrayDeque<>();

    public ServerLatencyWindow(NodeMetrics metrics, int windowSamples) {
        this.metrics = metrics;
        this.windowSamples = windowSamples;
    }

    public synchronized void sample() {
        HistogramSnapshot snapshot = metrics.serverLatencySnapshot();
        Map<Series, long[]> counts = new HashMap<>();
        double[] upperBounds = new double[0];
        for (HistogramSnapshot.HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            long[] perBucket = new long[buckets.size()];
            upperBounds = new double[buckets.size()];
            for (int i = 0; i < buckets.size(); i++) {
                perBucket[i] = buckets.getCount(i);
                upperBounds[i] = buckets.getUpperBound(i);
            }
            counts.put(new Series(point.getLabels().get("app"), point.getLabels().get("stream"),
                    point.getLabels().get("protocol")), perBucket);
        }
        scrapes.addLast(new Scrape(counts, upperBounds));
        while (scrapes.size() > windowSamples) {
            scrapes.removeFirst();
        }
    }

    /** Per protocol, the node's latency for {@code key} over the window; protocols without frames are left out. */
    public synchronized Map<String, LatencySummary> summary(StreamKey key) {
        Map<String, LatencySummary> summary = new TreeMap<>();
        if (scrapes.size() < 2) {
            return summary;
        }
        Scrape oldest = scrapes.peekFirst();
        Scrape newest = scrapes.peekLast();
        newest.counts().forEach((series, counts) -> {
            if (!series.app().equals(key.app()) || !series.stream().equals(key.stream())) {
                return;
            }
            long[] before = oldest.counts().get(series);
            long[] window = new long[counts.length];
            long total = 0;
            for (int i = 0; i < counts.length; i++) {
                window[i] = counts[i] - (before == null || before.length != counts.length ? 0 : before[i]);
                total += window[i];
            }
            if (total > 0) {
                summary.put(series.protocol(), new LatencySummary(total,
                        percentileMillis(window, total, newest.upperBounds(), 0.5),
                        percentileMillis(window, total, newest.upperBounds(), 0.9),
                        percentileMillis(window, total, newest.upperBounds(), 0.99)));
            }
        });
        return summary;
    }

    /**
     * The {@code p} quantile, interpolated linearly inside its bucket (as PromQL's histogram_quantile does); in the
     * +Inf bucket it is the highest finite bound.
     */
    static double percentileMillis(long[] counts, long total, double[] upperBounds, double p) {
        double rank = p * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (seen + counts[i] >= rank && counts[i] > 0) {
                double lower = i == 0 ? 0 : upperBounds[i - 1];
                double upper = upperBounds[i];
                if (Double.isInfinite(upper)) {
                    return round(lower * MILLIS_PER_SECOND);
                }
                double fraction = (rank - seen) / counts[i];
                return round((lower + (upper - lower) * fraction) * MILLIS_PER_SECOND);
            }
            seen += counts[i];
        }
        return round(upperBounds[Math.max(0, counts.length - 2)] * MILLIS_PER_SECOND);
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }
}
