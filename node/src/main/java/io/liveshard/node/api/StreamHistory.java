package io.liveshard.node.api;

import io.liveshard.node.qoe.QoeSummary;
import io.liveshard.protocol.media.StreamKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last minutes of what the console charts for each live stream, kept by the node so that a console opened in
 * the middle of an event shows them at once instead of an empty chart: every sample, the stream's viewers over
 * all protocols, the worst server-added latency p99 and the best player-measured end-to-end latency p50 over its
 * protocols (what the console's chart draws). {@code GET /api/v1/streams/{app}/{stream}/history}.
 *
 * <p>Bounded: {@link #POINTS} samples per stream in fixed arrays, at most {@code maxStreams} streams; a stream that
 * has not been live for a whole history's span is forgotten.
 */
public final class StreamHistory {

    /** Ten minutes at one sample every two seconds. */
    static final int POINTS = 300;

    /**
     * One sample. The latencies are null when nobody measured any (no viewer recorded a frame, no player reported).
     */
    public record Point(long timeMillis, int viewers, Double serverLatencyP99Ms, Double e2eLatencyP50Ms) {}

    /** {@code GET .../history}: the sampling interval and the samples, oldest first. */
    public record Body(String app, String stream, long intervalMillis, List<Point> points) {}

    private final long intervalMillis;
    private final int maxStreams;
    private final Map<StreamKey, Series> series = new ConcurrentHashMap<>();

    public StreamHistory(long intervalMillis, int maxStreams) {
        this.intervalMillis = intervalMillis;
        this.maxStreams = maxStreams;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    /** Adds one sample of every stream in {@code list}; forgets streams gone for longer than the history spans. */
    public void record(StreamApi.StreamList list) {
        long now = list.serverTimeMillis();
        long forgetBefore = now - POINTS * intervalMillis;
        series.values().removeIf(stream -> stream.latestMillis() < forgetBefore);
        for (StreamView view : list.streams()) {
            StreamKey key = new StreamKey(view.app(), view.stream());
            Series stream = series.get(key);
            if (stream == null) {
                if (series.size() >= maxStreams) {
                    continue;
                }
                stream = series.computeIfAbsent(key, k -> new Series());
            }
            stream.add(new Point(now, viewers(view), worstServerP99(view), bestEndToEndP50(view)));
        }
    }

    /** The stream's samples, oldest first; empty when it has none. */
    public Optional<Body> history(StreamKey key) {
        Series stream = series.get(key);
        return stream == null ? Optional.empty()
                : Optional.of(new Body(key.app(), key.stream(), intervalMillis, stream.points()));
    }

    private static int viewers(StreamView view) {
        return view.viewers().values().stream().mapToInt(Integer::intValue).sum();
    }

    private static Double worstServerP99(StreamView view) {
        return view.serverLatency().values().stream().map(LatencySummary::p99Ms).max(Double::compare).orElse(null);
    }

    private static Double bestEndToEndP50(StreamView view) {
        return view.qoe().values().stream().map(QoeSummary::e2eLatencyP50Ms).filter(Objects::nonNull)
                .min(Double::compare).orElse(null);
    }

    /** One stream's ring of samples; NaN stands for a null latency. */
    private static final class Series {
        private final long[] times = new long[POINTS];
        private final int[] viewers = new int[POINTS];
        private final double[] serverP99 = new double[POINTS];
        private final double[] e2eP50 = new double[POINTS];
        private int next;
        private int size;

        /** Adds the sample unless it is not newer than the latest (a late snapshot): the chart only moves forward. */
        synchronized void add(Point point) {
            if (size > 0 && point.timeMillis() <= times[Math.floorMod(next - 1, POINTS)]) {
                return;
            }
            times[next] = point.timeMillis();
            viewers[next] = point.viewers();
            serverP99[next] = point.serverLatencyP99Ms() == null ? Double.NaN : point.serverLatencyP99Ms();
            e2eP50[next] = point.e2eLatencyP50Ms() == null ? Double.NaN : point.e2eLatencyP50Ms();
            next = (next + 1) % POINTS;
            size = Math.min(size + 1, POINTS);
        }

        synchronized long latestMillis() {
            return size == 0 ? Long.MIN_VALUE : times[Math.floorMod(next - 1, POINTS)];
        }

        synchronized List<Point> points() {
            List<Point> points = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                int at = Math.floorMod(next - size + i, POINTS);
                points.add(new Point(times[at], viewers[at], orNull(serverP99[at]), orNull(e2eP50[at])));
            }
            return points;
        }

        private static Double orNull(double value) {
            return Double.isNaN(value) ? null : value;
        }
    }
}
