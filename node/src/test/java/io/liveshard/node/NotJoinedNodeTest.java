package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.RawRtmpClient;
import io.liveshard.node.testkit.TestNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node whose seed node never answers (a wrong address in its configuration) cannot run any stream: its
 * publishers and viewers are refused at once, with the reason, instead of waiting 10–30 s for an answer that never
 * comes and then being told something else.
 */
class NotJoinedNodeTest {

    private static final Path CHROMIUM_OFFER =
            Path.of("../protocol/src/test/resources/sdp/chromium-whep-recvonly-offer.sdp");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aNodeOutsideItsClusterRefusesPublishersAndViewersAtOnce() throws Exception {
        int nobody;
        try (ServerSocket free = new ServerSocket(0)) {
            nobody = free.getLocalPort();
        }
        try (LiveShardNode node = TestNode.start(Map.of("pekko.cluster.seed-nodes",
                List.of("pekko://liveshard@127.0.0.1:" + nobody)))) {
            String reason = "this node has not joined its cluster yet";
            long started = System.nanoTime();
            try (RawRtmpClient publisher = RawRtmpClient.open(node.rtmpPort()).handshake().connect("live")
                    .command(0, "createStream", 2.0, null).command(1, "publish", 3.0, null, "cam", "live")) {
                assertTrue(publisher.awaitText(reason, Duration.ofSeconds(5)), publisher.receivedText());
                assertTrue(publisher.receivedText().contains("NetStream.Publish.BadName"), publisher.receivedText());
            }
            for (String path : List.of("/live/cam.flv", "/live/cam.m3u8", "/live/cam/ll.m3u8")) {
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(503, refused.statusCode(), path);
                assertTrue(refused.body().startsWith(reason), path + ": " + refused.body());
            }
            HttpResponse<String> whep = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpPort() + "/live/cam/whep"))
                    .header("Content-Type", "application/sdp").timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(Files.readString(CHROMIUM_OFFER))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, whep.statusCode());
            assertTrue(whep.body().startsWith(reason), whep.body());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "refused at once");
            String metrics = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String protocol : List.of("rtmp", "http-flv", "hls", "ll-hls", "artc")) {
                assertTrue(metrics.contains("liveshard_refusals_total{protocol=\"" + protocol
                        + "\",reason=\"unavailable\"} 1.0"), protocol + " in\n" + metrics.lines()
                        .filter(line -> line.startsWith("liveshard_refusals_total")).toList());
            }
        }
    }
}
