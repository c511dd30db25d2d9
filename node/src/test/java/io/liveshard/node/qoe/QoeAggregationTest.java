package io.liveshard.node.qoe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.protocol.media.StreamKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QoeAggregationTest {

    private static final StreamKey CAM = new StreamKey("live", "cam");
    private static final long SECOND = 1_000_000_000L;

    private static QoeBeacon beacon(StreamKey key, String session, QoeProtocol protocol, List<Double> latency) {
        return new QoeBeacon(key, session, protocol, Optional.empty(), 0, 0, 0, latency, List.of());
    }

    @Test
    void percentilesCoverTheWindowAndPlayersAreDistinctSessions() {
        QoeAggregator aggregator = new QoeAggregator(Duration.ofSeconds(30), 10);
        long now = 100 * SECOND;
        // An old report outside the window: its latency must not count.
        aggregator.record(beacon(CAM, "old", QoeProtocol.ARTC, List.of(9.0)), now - 60 * SECOND);
        List<Double> samples = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            samples.add(i / 1000.0);
        }
        aggregator.record(beacon(CAM, "a", QoeProtocol.ARTC, samples.subList(0, 50)), now - SECOND);
        aggregator.record(beacon(CAM, "b", QoeProtocol.ARTC, samples.subList(50, 100)), now);
        aggregator.record(new QoeBeacon(CAM, "a", QoeProtocol.ARTC,
                Optional.of(new QoeBeacon.Startup(Optional.of(0.01), Optional.of(0.05), Optional.empty(), 0.2)),
                3, 1.5, 60, List.of(), List.of(new QoeBeacon.Fallback(QoeProtocol.ARTC, QoeProtocol.HTTP_FLV,
                FallbackReason.NO_MEDIA))), now);

        QoeSummary artc = aggregator.summary(CAM, now).get("artc");
        assertEquals(2, artc.players());
        assertEquals(4, artc.reports());
        assertEquals(100, artc.latencySamples());
        assertEquals(50.0, artc.e2eLatencyP50Ms());
        assertEquals(90.0, artc.e2eLatencyP90Ms());
        assertEquals(95.0, artc.e2eLatencyP95Ms());
        assertEquals(99.0, artc.e2eLatencyP99Ms());
        assertEquals(200.0, artc.firstFrameP50Ms());
        assertEquals(3, artc.stalls());
        assertEquals(1.5, artc.stallSeconds());
        assertEquals(60.0, artc.watchedSeconds());
        assertEquals(2.5, artc.stallPercent(), "1.5 s stalled of 60 s watched");
        assertEquals(Map.of("no-media", 1L), artc.fallbacksByReason());

        QoeSummary later = aggregator.summary(CAM, now + 31 * SECOND).get("artc");
        assertEquals(0, later.players());
        assertNull(later.e2eLatencyP50Ms(), "nothing in the window: no percentile, not a zero");
    }

    @Test
    void oneStreamRemembersABoundedNumberOfSessionsAndLatencySamples() {
        QoeAggregator aggregator = new QoeAggregator(Duration.ofSeconds(30), 10);
        long now = 100 * SECOND;
        int sessions = QoeStreamStats.MAX_SESSIONS + 1000;
        for (int i = 0; i < sessions; i++) {
            // Every report a millisecond later than the one before: the first ones are the stalest.
            aggregator.record(beacon(CAM, "s" + i, QoeProtocol.HTTP_FLV, List.of(0.5, 0.5)),
                    now - SECOND + i * 1_000_000L / 10);
        }
        QoeSummary flv = aggregator.summary(CAM, now).get("http-flv");
        assertEquals(QoeStreamStats.MAX_SESSIONS, flv.players(), "sessions past the cap replace the stalest");
        assertEquals(sessions, flv.reports(), "every report still counts");
        assertEquals(QoeStreamStats.LATENCY_CAPACITY, flv.latencySamples(), "the newest samples are kept");

        // The stalest were forgotten: a report from one of them counts it as a player again, without passing the cap.
        aggregator.record(beacon(CAM, "s0", QoeProtocol.HTTP_FLV, List.of()), now);
        assertEquals(QoeStreamStats.MAX_SESSIONS, aggregator.summary(CAM, now).get("http-flv").players());
    }

    @Test
    void streamsAreBoundedAndForgottenWhenNotLive() {
        QoeAggregator aggregator = new QoeAggregator(Duration.ofSeconds(30), 2);
        assertTrue(aggregator.record(beacon(new StreamKey("live", "a"), "s", QoeProtocol.HLS, List.of()), 0));
        assertTrue(aggregator.record(beacon(new StreamKey("live", "b"), "s", QoeProtocol.HLS, List.of()), 0));
        assertFalse(aggregator.record(beacon(new StreamKey("live", "c"), "s", QoeProtocol.HLS, List.of()), 0));
        assertTrue(aggregator.record(beacon(new StreamKey("live", "a"), "t", QoeProtocol.HLS, List.of()), 0));
        aggregator.retainOnly(Set.of(new StreamKey("live", "b")));
        assertEquals(1, aggregator.streamCount());
        assertTrue(aggregator.summary(new StreamKey("live", "a"), 0).isEmpty());
    }

    @Test
    void metricsCarryHistogramsCountersAndBoundedStreamLabels() throws Exception {
        NodeMetrics nodeMetrics = new NodeMetrics(1);
        QoeMetrics metrics = new QoeMetrics(nodeMetrics);
        metrics.record(new QoeBeacon(CAM, "s", QoeProtocol.ARTC,
                Optional.of(new QoeBeacon.Startup(Optional.of(0.02), Optional.of(0.06), Optional.of(0.07), 0.15)),
                2, 0.8, 20, List.of(0.25, 0.4), List.of(new QoeBeacon.Fallback(QoeProtocol.ARTC,
                QoeProtocol.HTTP_FLV, FallbackReason.ICE_FAILED))));
        metrics.record(beacon(new StreamKey("live", "second"), "s", QoeProtocol.HLS, List.of(3.0)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        nodeMetrics.writeText(out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("liveshard_qoe_e2e_latency_seconds_count{app=\"live\",protocol=\"artc\","
                + "stream=\"cam\"} 2"), text);
        assertTrue(text.contains("liveshard_qoe_e2e_latency_seconds_bucket{app=\"live\",protocol=\"artc\","
                + "stream=\"cam\",le=\"0.3\"} 1"), text);
        assertTrue(text.contains("liveshard_qoe_startup_phase_seconds_count{phase=\"signalling\",protocol=\"artc\"}"
                + " 1"), text);
        assertTrue(text.contains("liveshard_qoe_stalls_total{app=\"live\",protocol=\"artc\",stream=\"cam\"} 2.0"),
                text);
        assertTrue(text.contains("liveshard_qoe_watched_seconds_total{app=\"live\",protocol=\"artc\","
                + "stream=\"cam\"} 20.0"), text);
        assertTrue(text.contains("liveshard_qoe_fallbacks_total{app=\"live\",from=\"artc\",reason=\"ice-failed\","
                + "stream=\"cam\"} 1.0"), text);
        assertFalse(text.contains("stream=\"second\""), "past the stream bound: " + text);
        assertTrue(text.contains("liveshard_qoe_e2e_latency_seconds_count{app=\"_other\",protocol=\"hls\","
                + "stream=\"_other\"} 1"), text);
    }

    @Test
    void rateLimitRefillsAndBoundsClients() {
        QoeRateLimiter limiter = new QoeRateLimiter(1, 3, 2);
        long now = 0;
        assertTrue(limiter.tryAcquire("a", now));
        assertTrue(limiter.tryAcquire("a", now));
        assertTrue(limiter.tryAcquire("a", now));
        assertFalse(limiter.tryAcquire("a", now), "burst spent");
        assertTrue(limiter.tryAcquire("a", now + SECOND), "one token back after a second");
        assertTrue(limiter.tryAcquire("b", now));
        assertFalse(limiter.tryAcquire("c", now), "a third client is past max-clients");
        limiter.sweep(now + 10 * SECOND);
        assertEquals(0, limiter.trackedClients(), "refilled buckets are forgotten");
        assertTrue(limiter.tryAcquire("c", now + 10 * SECOND));
    }
}
