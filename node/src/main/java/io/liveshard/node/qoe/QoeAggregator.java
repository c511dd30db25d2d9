package io.liveshard.node.qoe;

import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Player QoE reports per stream for the JSON API (the Prometheus side is {@link QoeMetrics}). Only streams the
 * caller has checked to be live are recorded, and at most {@code maxStreams} of them, so hostile reports cannot grow
 * this map; {@link #retainOnly} forgets streams that are no longer live.
 */
public final class QoeAggregator {

    private final Map<StreamKey, QoeStreamStats> streams = new ConcurrentHashMap<>();
    private final Duration window;
    private final int maxStreams;

    public QoeAggregator(Duration window, int maxStreams) {
        this.window = window;
        this.maxStreams = maxStreams;
    }

    /** Records a report for a live stream; false when {@code maxStreams} other streams already have reports. */
    public boolean record(QoeBeacon beacon, long nowNanos) {
        QoeStreamStats stats = streams.get(beacon.stream());
        if (stats == null) {
            if (streams.size() >= maxStreams) {
                return false;
            }
            stats = streams.computeIfAbsent(beacon.stream(), key -> new QoeStreamStats());
        }
        stats.record(beacon, nowNanos);
        return true;
    }

    /** Per protocol, what the players of {@code key} reported; empty when none did. */
    public Map<String, QoeSummary> summary(StreamKey key, long nowNanos) {
        QoeStreamStats stats = streams.get(key);
        return stats == null ? Map.of() : stats.summary(nowNanos - window.toNanos());
    }

    /** Forgets the streams not in {@code live}. */
    public void retainOnly(Set<StreamKey> live) {
        streams.keySet().retainAll(live);
    }

    int streamCount() {
        return streams.size();
    }
}
