package io.liveshard.node.qoe;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Everything the players of one stream reported, per protocol, for the JSON API. Thread-safe. */
final class QoeStreamStats {

    /** Latency samples kept per protocol: the newest, a second or two of reports from a few hundred players. */
    static final int LATENCY_CAPACITY = 2048;
    private static final int STARTUP_CAPACITY = 256;
    /** Sessions remembered per protocol; beyond it, the stalest is forgotten (the count is then a lower bound). */
    static final int MAX_SESSIONS = 4096;
    private static final double MILLIS_PER_SECOND = 1000;

    private final Map<QoeProtocol, ProtocolStats> protocols = new EnumMap<>(QoeProtocol.class);

    synchronized void record(QoeBeacon beacon, long nowNanos) {
        ProtocolStats stats = protocols.computeIfAbsent(beacon.protocol(), p -> new ProtocolStats());
        stats.reports++;
        stats.sessions.put(sessionKey(beacon.session()), nowNanos);
        if (stats.sessions.size() > MAX_SESSIONS) {
            stats.forgetStalestSession();
        }
        beacon.latencySeconds().forEach(seconds -> stats.latency.add(seconds * MILLIS_PER_SECOND, nowNanos));
        beacon.startup().ifPresent(s -> stats.firstFrame.add(s.firstFrameSeconds() * MILLIS_PER_SECOND, nowNanos));
        stats.stalls += beacon.stalls();
        stats.stallSeconds += beacon.stallSeconds();
        stats.watchedSeconds += beacon.watchedSeconds();
        for (QoeBeacon.Fallback fallback : beacon.fallbacks()) {
            protocols.computeIfAbsent(fallback.from(), p -> new ProtocolStats())
                    .fallbacks.merge(fallback.reason().code(), 1L, Long::sum);
        }
    }

    synchronized Map<String, QoeSummary> summary(long windowStartNanos) {
        Map<String, QoeSummary> summary = new TreeMap<>();
        protocols.forEach((protocol, stats) -> {
            stats.sessions.values().removeIf(seen -> seen - windowStartNanos < 0);
            double[] latency = stats.latency.sortedSince(windowStartNanos);
            double[] firstFrame = stats.firstFrame.sortedSince(windowStartNanos);
            summary.put(protocol.code(), new QoeSummary(stats.sessions.size(), stats.reports, latency.length,
                    orNull(TimedSamples.percentile(latency, 0.5)), orNull(TimedSamples.percentile(latency, 0.9)),
                    orNull(TimedSamples.percentile(latency, 0.95)), orNull(TimedSamples.percentile(latency, 0.99)),
                    orNull(TimedSamples.percentile(firstFrame, 0.5)), stats.stalls, stats.stallSeconds,
                    Math.round(stats.watchedSeconds * 10) / 10.0, stallPercent(stats),
                    new TreeMap<>(stats.fallbacks)));
        });
        return summary;
    }

    /**
     * Stalled time in percent of watched time, at most 100 (a report can count a stall that began in the time of
     * the report before); null until players have reported watching.
     */
    private static Double stallPercent(ProtocolStats stats) {
        return stats.watchedSeconds > 0
                ? orNull(Math.min(100.0, 100.0 * stats.stallSeconds / stats.watchedSeconds)) : null;
    }

    /**
     * A session remembered by a 64-bit hash of its name (FNV-1a) rather than the name: a third of the memory. Two
     * sessions that collide count as one player; among a few thousand that is about one chance in 10^12.
     */
    static long sessionKey(String session) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < session.length(); i++) {
            hash = (hash ^ session.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 10) / 10.0;
    }

    private static final class ProtocolStats {
        final TimedSamples latency = new TimedSamples(LATENCY_CAPACITY);
        final TimedSamples firstFrame = new TimedSamples(STARTUP_CAPACITY);
        final Map<Long, Long> sessions = new HashMap<>();
        final Map<String, Long> fallbacks = new HashMap<>();
        long reports;
        long stalls;
        double stallSeconds;
        double watchedSeconds;

        void forgetStalestSession() {
            Iterator<Map.Entry<Long, Long>> all = sessions.entrySet().iterator();
            Map.Entry<Long, Long> stalest = all.next();
            while (all.hasNext()) {
                Map.Entry<Long, Long> entry = all.next();
                if (entry.getValue() - stalest.getValue() < 0) {
                    stalest = entry;
                }
            }
            sessions.remove(stalest.getKey());
        }
    }
}
