package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RawRtmpClient;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The management API with real clients: list who publishes and watches, kick one viewer (the others keep
 * watching), forbid the stream (its publisher and viewers are cut, new ones refused on every protocol) and resume it.
 */
class ManagementApiTest {

    private static final String TOKEN = "operator-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final StreamKey KEY = new StreamKey("live", "managed");

    @Test
    void operatorsListKickForbidAndResume() throws Exception {
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.api.token", TOKEN))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            String rtmpUrl = "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/managed";
            FfmpegPublisher publisher = FfmpegPublisher.start(rtmpUrl, 60, 30);
            try {
                StreamProbe.awaitLiveWithGop(node, KEY);
                try (FlvViewer kicked = FlvViewer.open(base + "/live/managed.flv");
                     RtmpPlayer player = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "managed")) {
                    kicked.awaitTags(10, Duration.ofSeconds(10));
                    player.awaitVideoFrames(10, Duration.ofSeconds(10));

                    assertEquals(401, request("GET", base + "/api/v1/streams/live/managed/clients", null)
                            .statusCode(), "the token guards the management API");
                    JsonNode clients = json(request("GET", base + "/api/v1/streams/live/managed/clients", TOKEN));
                    JsonNode list = clients.get("clients");
                    assertEquals("publisher", list.get(0).get("role").asText(), clients.toString());
                    assertEquals("rtmp", list.get(0).get("protocol").asText());
                    long flvSubscribers = 0;
                    String kickId = null;
                    for (JsonNode client : list) {
                        if (client.get("protocol").asText().equals("http-flv")) {
                            flvSubscribers++;
                            kickId = client.get("id").asText();
                        }
                    }
                    assertTrue(flvSubscribers >= 1, clients.toString());

                    // Kick the newest FLV viewer (the one opened second): it ends, the RTMP player keeps watching.
                    HttpResponse<String> kick = request("POST", base + "/api/v1/clients/" + kickId + "/kick", TOKEN);
                    assertEquals(200, kick.statusCode(), kick.body());
                    kicked.awaitEnd(Duration.ofSeconds(5));
                    long before = player.videoFrames();
                    player.awaitVideoFrames(before + 15, Duration.ofSeconds(5));

                    assertEquals(404, request("POST", base + "/api/v1/clients/999999/kick", TOKEN).statusCode());
                    assertEquals(405, request("GET", base + "/api/v1/streams/live/managed/forbid", TOKEN)
                            .statusCode());
                    assertEquals(400, request("POST", base + "/api/v1/streams/live/managed/forbid?seconds=-4",
                            TOKEN).statusCode());

                    JsonNode forbidden = json(request("POST", base + "/api/v1/streams/live/managed/forbid", TOKEN));
                    assertTrue(forbidden.get("kicked").asInt() >= 2, "publisher and viewers cut: " + forbidden);
                    // The kicked publisher's connection is closed: its ffmpeg ends (waitFor fails if it does not).
                    publisher.waitFor(10, TimeUnit.SECONDS);
                    player.awaitEnd(Duration.ofSeconds(5));
                }
                HttpResponse<String> refusedViewer = request("GET", base + "/live/managed.flv", null);
                assertEquals(403, refusedViewer.statusCode());
                assertTrue(refusedViewer.body().contains("forbidden"), refusedViewer.body());
                for (String playlist : new String[] {"/live/managed.m3u8", "/live/managed/ll.m3u8"}) {
                    HttpResponse<String> refusedHls = request("GET", base + playlist, null);
                    assertEquals(403, refusedHls.statusCode(), playlist);
                    assertTrue(refusedHls.body().contains("forbidden"), playlist + ": " + refusedHls.body());
                }
                // WHEP too, even while the kicked publisher's grace period still makes the stream look live.
                HttpResponse<String> refusedOffer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/live/managed/whep")).header("Content-Type", "application/sdp")
                        .POST(HttpRequest.BodyPublishers.ofString(Files.readString(Path.of(
                                "../protocol/src/test/resources/sdp/chromium-whep-recvonly-offer.sdp")))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refusedOffer.statusCode(), refusedOffer.body());
                assertTrue(refusedOffer.body().contains("forbidden"), refusedOffer.body());
                try (FfmpegPublisher refused = FfmpegPublisher.start(rtmpUrl, 10, 30)) {
                    assertNotEquals(0, refused.waitFor(15, TimeUnit.SECONDS), "a forbidden stream refuses publishing");
                }
                try (RawRtmpClient player = RawRtmpClient.open(node.rtmpPort()).handshake().connect("live")
                        .command(0, "createStream", 2.0, null).command(1, "play", 3.0, null, "managed")) {
                    assertTrue(player.awaitText("NetStream.Play.StreamNotFound", Duration.ofSeconds(10)),
                            "a forbidden stream refuses playing over RTMP");
                }
                String metrics = request("GET", base + "/metrics", null).body();
                // The refused publish and the refused play.
                assertTrue(metrics.matches(
                                "(?s).*liveshard_refusals_total\\{protocol=\"rtmp\",reason=\"forbidden\"} 2\\.0.*"),
                        "the refused publish and play are counted as forbidden: " + metrics.lines()
                                .filter(line -> line.startsWith("liveshard_refusals_total")).toList());
                assertTrue(request("GET", base + "/api/v1/forbidden", TOKEN).body().contains("\"live/managed\""));

                assertEquals(200, request("POST", base + "/api/v1/streams/live/managed/resume", TOKEN).statusCode());
                assertEquals(404, request("POST", base + "/api/v1/streams/live/managed/resume", TOKEN).statusCode());
                try (FfmpegPublisher again = FfmpegPublisher.start(rtmpUrl, 30, 30)) {
                    StreamProbe.awaitLiveWithGop(node, KEY);
                    assertFalse(json(request("GET", base + "/api/v1/streams/live/managed/clients", TOKEN))
                            .get("clients").isEmpty());
                }
            } finally {
                publisher.close();
            }
        }
    }

    private static HttpResponse<String> request(String method, String url, String token) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body());
    }
}
