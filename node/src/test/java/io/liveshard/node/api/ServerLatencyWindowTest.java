package io.liveshard.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.metrics.LatencyRecorder;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import org.junit.jupiter.api.Test;

class ServerLatencyWindowTest {

    private static final StreamKey CAM = new StreamKey("live", "cam");

    private static void send(LatencyRecorder recorder, int frames, long latencyNanos) {
        long ingest = System.nanoTime() + 1_000_000;
        for (int i = 0; i < frames; i++) {
            recorder.sent(new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, false, 0, 0, new byte[1], 1, ingest),
                    ingest + latencyNanos);
        }
    }

    @Test
    void percentilesCountOnlyFramesSentWithinTheWindow() {
        NodeMetrics metrics = new NodeMetrics(10);
        ServerLatencyWindow window = new ServerLatencyWindow(metrics, 3);
        LatencyRecorder rtmp = metrics.latency(CAM, "rtmp");
        send(rtmp, 100, 40_000_000); // 40 ms, before the window
        window.sample();
        window.sample();
        window.sample();
        assertTrue(window.summary(CAM).isEmpty(), "no frames in the window: " + window.summary(CAM));

        send(rtmp, 90, 1_500_000);  // 1.5 ms: the (1, 2] ms bucket
        send(rtmp, 10, 4_000_000);  // 4 ms: the (3, 5] ms bucket
        window.sample();
        LatencySummary summary = window.summary(CAM).get("rtmp");
        assertEquals(100, summary.frames());
        assertTrue(summary.p50Ms() > 1 && summary.p50Ms() <= 2, summary.toString());
        assertTrue(summary.p99Ms() > 3 && summary.p99Ms() <= 5, summary.toString());
    }

    @Test
    void interpolatesInsideBucketsAndCapsAtTheLastFiniteBound() {
        double[] bounds = {0.001, 0.002, Double.POSITIVE_INFINITY};
        assertEquals(1.5, ServerLatencyWindow.percentileMillis(new long[] {0, 10, 0}, 10, bounds, 0.5));
        assertEquals(2.0, ServerLatencyWindow.percentileMillis(new long[] {0, 0, 10}, 10, bounds, 0.99));
    }
}
