package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Node limits with real clients: a client over a limit gets a clear refusal (HTTP 503 or 429, an RTMP status, or its
 * connection closed before the handshake), the refusal is counted, and the clients already in keep playing.
 */
class LimitsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void publishersAndViewersPerStreamAreBounded() throws Exception {
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.limits.max-publishers", 1,
                "liveshard.limits.max-viewers-per-stream", 2));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/bounded", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "bounded"));
            String flv = "http://127.0.0.1:" + node.httpPort() + "/live/bounded.flv";
            try (FlvViewer first = FlvViewer.open(flv); FlvViewer second = FlvViewer.open(flv)) {
                first.awaitTags(10, Duration.ofSeconds(10));
                HttpResponse<String> third = HTTP.send(HttpRequest.newBuilder(URI.create(flv)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, third.statusCode());
                assertTrue(third.body().contains("limit of 2 viewers"), third.body());
                // artc is refused before its offer is answered, not after a 201 and a handshake.
                HttpResponse<String> whep = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + node.httpPort() + "/live/bounded/whep")).header("Content-Type", "application/sdp")
                        .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, whep.statusCode(), "an artc offer over the stream's limit: " + whep.body());
                assertTrue(whep.body().contains("limit of 2 viewers"), whep.body());
                try (RtmpPlayer rtmp = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "bounded")) {
                    rtmp.awaitStatus("NetStream.Play.StreamNotFound", Duration.ofSeconds(5));
                }
                try (FfmpegPublisher another = FfmpegPublisher.start(
                        "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/another", 10, 30)) {
                    assertNotEquals(0, another.waitFor(15, TimeUnit.SECONDS), "a second publisher is refused");
                    assertTrue(another.log().contains("limit of 1 publishers"), another.log());
                }
                long before = second.videoFrames();
                Thread.sleep(1000);
                assertTrue(second.videoFrames() >= before + 15, "viewers already in keep playing");
            }
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("liveshard_refusals_total{protocol=\"http-flv\",reason=\"limit\"} 1.0"),
                    "refusals are counted");
            assertTrue(metrics.contains("liveshard_refusals_total{protocol=\"artc\",reason=\"limit\"} 1.0"),
                    "artc refusals are counted");
        }
    }

    @Test
    void viewersPerNodeAndNewConnectionsPerSecondAreBounded() throws Exception {
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.limits.max-viewers", 1,
                "liveshard.limits.new-connections-per-ip-per-second", 1));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/rated", 60, 30)) {
            // The publisher's connection took one of 127.0.0.1's burst of two.
            StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "rated"));
            Thread.sleep(2100);
            String flv = "http://127.0.0.1:" + node.httpPort() + "/live/rated.flv";
            try (FlvViewer viewer = FlvViewer.open(flv)) {
                viewer.awaitTags(10, Duration.ofSeconds(10));
                HttpResponse<String> tooFast = HTTP.send(HttpRequest.newBuilder(URI.create(flv)).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> afterBurst = HTTP.send(HttpRequest.newBuilder(URI.create(flv)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, tooFast.statusCode(), "the node's one viewer place is taken: " + tooFast.body());
                assertTrue(tooFast.body().contains("limit of 1 viewers"), tooFast.body());
                assertEquals(429, afterBurst.statusCode(), "the burst of two is spent: " + afterBurst.body());
                assertTrue(afterBurst.body().contains("1 a second"), afterBurst.body());
                long before = viewer.videoFrames();
                Thread.sleep(1000);
                assertTrue(viewer.videoFrames() >= before + 15, "the viewer already in keeps playing");
            }
        }
    }

    @Test
    void connectionsPerAddressAreBounded() throws Exception {
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.limits.max-connections-per-ip", 2));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/perip", 60, 30)) {
            // The publisher's own RTMP connection is one of 127.0.0.1's two.
            StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "perip"));
            String flv = "http://127.0.0.1:" + node.httpPort() + "/live/perip.flv";
            try (FlvViewer viewer = FlvViewer.open(flv)) {
                viewer.awaitTags(10, Duration.ofSeconds(10));
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(flv)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(429, refused.statusCode());
                assertTrue(refused.body().contains("too many connections from 127.0.0.1"), refused.body());
                HttpResponse<String> whep = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + node.httpPort() + "/live/perip/whep")).header("Content-Type", "application/sdp")
                        .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(429, whep.statusCode(), "an artc offer over the limit: " + whep.body());
                boolean closed;
                try (RtmpPlayer rtmp = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "perip")) {
                    rtmp.awaitEnd(Duration.ofSeconds(5));
                    closed = rtmp.videoFrames() == 0;
                } catch (IOException e) {
                    closed = true;
                }
                assertTrue(closed, "an RTMP connection over the limit is closed before it plays");
                long before = viewer.videoFrames();
                Thread.sleep(1000);
                assertTrue(viewer.videoFrames() >= before + 15, "the viewer already in keeps playing");
            }
            // The viewer left: its place is free again once the node has noticed (its next write fails).
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                try (FlvViewer again = FlvViewer.open(flv)) {
                    status = again.status();
                }
                Thread.sleep(status == 200 ? 0 : 200);
            }
            assertEquals(200, status, "a viewer's place is freed when it leaves");
        }
    }
}
