package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.codec.LatencyStamp;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Viewers joining mid-GOP start at once: configs first, then the cached GOP from its keyframe, with timestamps
 * rebased to zero, the first frame arriving within 200 ms of connecting. ffmpeg publishes with a 4 s GOP so
 * that a join always lands well inside one.
 */
class InstantStartTest {

    private static final Duration FIRST_FRAME_BOUND = Duration.ofMillis(200);
    private static LiveShardNode node;
    private static FfmpegPublisher publisher;
    private static final StreamKey KEY = new StreamKey("live", "instant");

    @BeforeAll
    static void publish() throws Exception {
        node = TestNode.start();
        publisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/instant", 30, 120);
        StreamProbe.awaitLiveWithGop(node, KEY);
        // The bound is on the server, not on the test JVM's first HTTP request: warm the client up once.
        try (FlvViewer warmUp = FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/absent.flv")) {
            assertEquals(404, warmUp.status());
        }
        // Join in the middle of a GOP, not on its keyframe.
        StreamProbe.awaitStatus(node, KEY, s -> s.stats().gopCacheFrames() > 60, Duration.ofSeconds(20),
                "a second into a GOP");
    }

    @AfterAll
    static void stop() throws Exception {
        publisher.close();
        node.close();
    }

    @Test
    void httpFlvViewerStartsWithConfigsThenAKeyframeAtTimestampZero() throws Exception {
        try (FlvViewer viewer = FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/instant.flv")) {
            assertEquals(200, viewer.status());
            viewer.awaitTags(8, Duration.ofSeconds(5));
            var tags = viewer.tags();
            assertEquals(FlvTagType.SCRIPT, tags.get(0).tag().type(), "onMetaData first");
            FlvViewer.ReceivedTag firstFrame = tags.stream().filter(FlvViewer.ReceivedTag::isVideoFrame)
                    .findFirst().orElseThrow();
            assertTrue(firstFrame.isKeyframe(), "the first video frame is a keyframe");
            assertEquals(0, firstFrame.tag().timestamp(), "timestamps are rebased to the viewer's start");
            assertTrue(tags.indexOf(firstFrame) > tags.indexOf(tags.stream()
                    .filter(t -> t.isVideo() && !t.isVideoFrame()).findFirst().orElseThrow()),
                    "the AVC sequence header comes before the first frame");
            Duration waited = Duration.ofNanos(firstFrame.arrivedNanos() - viewer.requestedNanos());
            assertTrue(waited.compareTo(FIRST_FRAME_BOUND) < 0, "first frame after " + waited.toMillis() + " ms");
            viewer.awaitTags(tags.size() + 30, Duration.ofSeconds(5));
        }
    }

    @Test
    void videoFramesCarryLatencyStampsWithTheirIngestTime() throws Exception {
        try (FlvViewer viewer = FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/instant.flv")) {
            viewer.awaitTags(200, Duration.ofSeconds(10));
            long nowWall = System.currentTimeMillis();
            long nowNanos = System.nanoTime();
            List<FlvViewer.ReceivedTag> frames = viewer.tags().stream().filter(FlvViewer.ReceivedTag::isVideoFrame)
                    .toList();
            List<FlvViewer.ReceivedTag> live = frames.subList(frames.size() - 10, frames.size());
            for (FlvViewer.ReceivedTag tag : live) {
                assertStampedShortlyBefore(tag.tag().body(), nowWall - (nowNanos - tag.arrivedNanos()) / 1_000_000,
                        "HTTP-FLV");
            }
        }
    }

    @Test
    void rtmpViewersGetTheLatencyStampsToo() throws Exception {
        try (RtmpPlayer rtmp = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "instant")) {
            rtmp.awaitVideoFrames(90, Duration.ofSeconds(10));
            long nowWall = System.currentTimeMillis();
            long nowNanos = System.nanoTime();
            List<RtmpPlayer.Received> frames = rtmp.messages().stream().filter(RtmpPlayer.Received::isVideoFrame)
                    .toList();
            for (RtmpPlayer.Received frame : frames.subList(frames.size() - 10, frames.size())) {
                assertStampedShortlyBefore(frame.message().payload(),
                        nowWall - (nowNanos - frame.arrivedNanos()) / 1_000_000, "RTMP");
            }
        }
    }

    /** An FLV video tag body (AVCC, 4-byte lengths) whose latency stamp is under 500 ms before its arrival. */
    private static void assertStampedShortlyBefore(byte[] body, long arrivedWallMillis, String protocol) {
        long stamp = LatencyStamp.find(body, 5, body.length - 5, 4, MediaCodec.H264)
                .orElseThrow(() -> new AssertionError("a " + protocol + " video frame without a latency stamp"));
        long latency = arrivedWallMillis - stamp;
        assertTrue(latency >= -5 && latency < 500, "ingest to " + protocol + " viewer took " + latency + " ms");
    }

    @Test
    void serverLatencyIsMeasuredPerProtocolAndExposedAtMetrics() throws Exception {
        try (FlvViewer flv = FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/instant.flv");
             RtmpPlayer rtmp = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "instant")) {
            flv.awaitTags(120, Duration.ofSeconds(10));
            rtmp.awaitVideoFrames(60, Duration.ofSeconds(10));
        }
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        for (String protocol : List.of("http-flv", "rtmp")) {
            String labels = "app=\"live\",protocol=\"" + protocol + "\",stream=\"instant\"";
            double count = sample(metrics.body(), "liveshard_server_latency_seconds_count{" + labels + "}");
            double within50ms = sample(metrics.body(), "liveshard_server_latency_seconds_bucket{" + labels
                    + ",le=\"0.05\"}");
            assertTrue(count >= 30, protocol + ": " + count + " frames measured");
            assertTrue(within50ms / count >= 0.9, protocol + ": only " + within50ms + " of " + count
                    + " frames left the node within 50 ms");
        }
    }

    private static double sample(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + series + " in\n" + text);
    }

    @Test
    void viewersThatDisconnectLeaveNoSubscriberBehind() throws Exception {
        List<RtmpPlayer> players = new ArrayList<>();
        List<FlvViewer> viewers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                players.add(RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "instant"));
                viewers.add(FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/instant.flv"));
            }
            for (int i = 0; i < 20; i++) {
                players.get(i).awaitVideoFrames(5, Duration.ofSeconds(10));
                viewers.get(i).awaitTags(10, Duration.ofSeconds(10));
            }
            StreamProbe.awaitStatus(node, KEY, s -> s.viewers().getOrDefault("rtmp", 0) >= 20
                    && s.viewers().getOrDefault("http-flv", 0) >= 20, Duration.ofSeconds(5), "watched by 40");
        } finally {
            for (RtmpPlayer player : players) {
                player.close();
            }
            for (FlvViewer viewer : viewers) {
                viewer.close();
            }
        }
        StreamProbe.awaitStatus(node, KEY, s -> s.stats().subscribers() == 0, Duration.ofSeconds(10),
                "left by every viewer");
    }

    @Test
    void rtmpPlayerStartsWithAKeyframeAtOnce() throws Exception {
        try (RtmpPlayer player = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "instant")) {
            player.awaitVideoFrames(1, Duration.ofSeconds(5));
            player.awaitStatus("NetStream.Play.Start", Duration.ofSeconds(1));
            RtmpPlayer.Received first = player.messages().stream().filter(RtmpPlayer.Received::isVideoFrame)
                    .findFirst().orElseThrow();
            assertTrue(first.isKeyframe(), "the first video frame is a keyframe");
            assertEquals(0, first.message().timestamp(), "timestamps are rebased to the viewer's start");
            Duration waited = Duration.ofNanos(first.arrivedNanos() - player.connectedNanos());
            assertTrue(waited.compareTo(FIRST_FRAME_BOUND) < 0, "first frame after " + waited.toMillis() + " ms");
            player.awaitVideoFrames(player.videoFrames() + 30, Duration.ofSeconds(5));
        }
    }
}
