package io.liveshard.node.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {

    private static MediaFrame frameIngestedAt(long nanos, boolean config) {
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, config, true, 0, 0, new byte[8], 5, nanos);
    }

    private static String text(NodeMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeText(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void streamsPastTheLimitShareOneLabelSet() throws Exception {
        NodeMetrics metrics = new NodeMetrics(2);
        long now = System.nanoTime();
        for (String stream : new String[] {"a", "b", "c", "d"}) {
            LatencyRecorder recorder = metrics.latency(new StreamKey("live", stream), "rtmp");
            recorder.sent(frameIngestedAt(now + 1_000_000, false), now + 3_000_000);
        }
        String text = text(metrics);
        assertTrue(text.contains("stream=\"a\""), text);
        assertTrue(text.contains("stream=\"b\""), text);
        assertFalse(text.contains("stream=\"c\""), text);
        assertTrue(text.contains("app=\"_other\"") && text.contains("stream=\"_other\""), text);
    }

    @Test
    void gopFramesFromBeforeTheViewerJoinedAndConfigsAreNotCounted() throws Exception {
        NodeMetrics metrics = new NodeMetrics(10);
        LatencyRecorder recorder = metrics.latency(new StreamKey("live", "x"), "http-flv");
        long joined = System.nanoTime();
        recorder.sent(frameIngestedAt(joined - 2_000_000_000L, false), joined + 1_000);
        recorder.sent(frameIngestedAt(joined + 1_000, true), joined + 2_000);
        recorder.sent(frameIngestedAt(joined + 1_000, false), joined + 4_001_000);
        String text = text(metrics);
        assertTrue(text.contains("liveshard_server_latency_seconds_count{app=\"live\",protocol=\"http-flv\","
                + "stream=\"x\"} 1"), text);
        assertTrue(text.contains("le=\"0.004\"} 1"), "exactly 4 ms lands in the 4 ms bucket: " + text);
        assertTrue(text.contains("le=\"0.005\"} 1"), "buckets are cumulative: " + text);
        assertTrue(text.contains("le=\"0.003\"} 0"), text);
        assertTrue(text.contains("# TYPE liveshard_server_latency_seconds histogram"), text);
        assertTrue(text.contains("liveshard_server_latency_seconds_sum{app=\"live\",protocol=\"http-flv\","
                + "stream=\"x\"} 0.004"), text);
    }

    @Test
    void dropSeriesExistAtZeroBeforeTheFirstDrop() throws Exception {
        String text = text(new NodeMetrics(10));
        assertTrue(text.contains("# HELP liveshard_viewer_frames_dropped_total"), text);
        assertTrue(text.contains("liveshard_viewer_frames_dropped_total{protocol=\"rtmp\"} 0.0"), text);
        assertTrue(text.contains("liveshard_viewer_frames_dropped_total{protocol=\"http-flv\"} 0.0"), text);
    }

    @Test
    void refusalsAndDropsAreCounted() throws Exception {
        NodeMetrics metrics = new NodeMetrics(10);
        metrics.refused("rtmp", "protocol-error");
        metrics.framesDropped("http-flv", 12);
        String text = text(metrics);
        assertTrue(text.contains("liveshard_refusals_total{protocol=\"rtmp\",reason=\"protocol-error\"} 1.0"), text);
        assertTrue(text.contains("liveshard_viewer_frames_dropped_total{protocol=\"http-flv\"} 12.0"), text);
    }
}
