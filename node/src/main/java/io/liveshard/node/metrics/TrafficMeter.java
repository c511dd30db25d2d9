package io.liveshard.node.metrics;

import io.liveshard.protocol.media.StreamKey;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes delivered to viewers, per stream and protocol, for billing by traffic or by peak bandwidth: one-minute
 * buckets for the last 24 hours, in memory. Senders add to a striped counter (no lock, no contention between viewer
 * threads); once a second {@link #tick} moves what was added into the current minute's bucket and into the
 * Prometheus counter {@code liveshard_bytes_sent_total}. Streams beyond the node's label bound share one series.
 */
public final class TrafficMeter {

    /** Minutes kept: 24 hours. */
    public static final int MINUTES = 24 * 60;
    private static final long MILLIS_PER_MINUTE = 60_000;

    /** One stream's traffic over one protocol. */
    public static final class Series {
        private final StreamKey key;
        private final String protocol;
        private final LongAdder unsettled = new LongAdder();
        private final CounterDataPoint total;
        private final long[] bytes = new long[MINUTES];
        private final long[] minuteOf = new long[MINUTES];

        private Series(StreamKey key, String protocol, CounterDataPoint total) {
            this.key = key;
            this.protocol = protocol;
            this.total = total;
        }

        /** Bytes handed to a viewer's connection. Called on the sending thread. */
        public void sent(long count) {
            unsettled.add(count);
        }

        private synchronized void settle(long minute) {
            long delta = unsettled.sumThenReset();
            if (delta == 0) {
                return;
            }
            int slot = (int) (minute % MINUTES);
            if (minuteOf[slot] != minute) {
                minuteOf[slot] = minute;
                bytes[slot] = 0;
            }
            bytes[slot] += delta;
            total.inc(delta);
        }

        /** The non-empty minutes from {@code fromMinute} on, oldest first. */
        private synchronized List<Minute> since(long fromMinute) {
            List<Minute> minutes = new ArrayList<>();
            for (long minute = fromMinute; minute < fromMinute + MINUTES; minute++) {
                int slot = (int) (minute % MINUTES);
                if (minuteOf[slot] == minute && bytes[slot] > 0) {
                    minutes.add(new Minute(minute * MILLIS_PER_MINUTE, bytes[slot]));
                }
            }
            return minutes;
        }
    }

    /** The bytes of one minute, starting at {@code startMillis} (Unix time). */
    public record Minute(long startMillis, long bytes) {
        /** The minute's average bit rate in Mbit/s: what billing by peak bandwidth takes the maximum of. */
        public double mbps() {
            return TrafficMeter.mbps(bytes);
        }
    }

    /** The average bit rate in Mbit/s of {@code bytes} sent over one minute. */
    public static double mbps(long bytesInAMinute) {
        return bytesInAMinute * 8 / 60.0 / 1_000_000;
    }

    /** One stream's traffic over one protocol within a window. */
    public record Usage(StreamKey key, String protocol, List<Minute> minutes) {
        public long bytes() {
            return minutes.stream().mapToLong(Minute::bytes).sum();
        }

        public double peakMbps() {
            return minutes.stream().mapToDouble(Minute::mbps).max().orElse(0);
        }
    }

    private final NodeMetrics metrics;
    private final Counter bytesSent;
    private final Map<StreamKey, Map<String, Series>> series = new ConcurrentHashMap<>();

    TrafficMeter(NodeMetrics metrics, Counter bytesSent) {
        this.metrics = metrics;
        this.bytesSent = bytesSent;
    }

    /** The series a viewer of {@code key} over {@code protocol} adds its bytes to. */
    public Series series(StreamKey key, String protocol) {
        StreamKey labelled = metrics.labelled(key);
        return series.computeIfAbsent(labelled, k -> new ConcurrentHashMap<>()).computeIfAbsent(protocol,
                p -> new Series(labelled, p, bytesSent.labelValues(labelled.app(), labelled.stream(), p)));
    }

    /** Settles everything sent since the last tick into the current minute. Called once a second. */
    public void tick(long nowMillis) {
        long minute = nowMillis / MILLIS_PER_MINUTE;
        for (Map<String, Series> byProtocol : series.values()) {
            for (Series one : byProtocol.values()) {
                one.settle(minute);
            }
        }
    }

    /** Every stream's traffic per protocol over the last {@code minutes} minutes (at most 24 hours). */
    public List<Usage> usage(long nowMillis, int minutes) {
        long current = nowMillis / MILLIS_PER_MINUTE;
        long from = current - Math.max(1, Math.min(MINUTES, minutes)) + 1;
        List<Usage> usage = new ArrayList<>();
        for (Map<String, Series> byProtocol : series.values()) {
            for (Series one : byProtocol.values()) {
                List<Minute> window = one.since(from).stream().filter(m -> m.startMillis() <= nowMillis).toList();
                if (!window.isEmpty()) {
                    usage.add(new Usage(one.key, one.protocol, window));
                }
            }
        }
        return usage;
    }
}
