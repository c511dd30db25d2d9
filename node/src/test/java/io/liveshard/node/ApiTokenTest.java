package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * liveshard.api.token against a running node: the stream API and its events need the token (header, or query for
 * event streams), the players' QoE and clock endpoints do not, and a node without a token stays open.
 */
class ApiTokenTest {

    private static final String TOKEN = "s3cret-token";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void guardsTheApiButNotThePlayersEndpoints() throws Exception {
        StreamKey key = new StreamKey("live", "token");
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.api.token", TOKEN));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/token", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            String base = "http://127.0.0.1:" + node.httpPort();
            StreamEventsTest.awaitListed(URI.create(base + "/api/v1/streams"), "Bearer " + TOKEN, "live/token");

            for (String path : List.of("/api/v1/streams", "/api/v1/streams/live/token", "/api/v1/events")) {
                HttpResponse<String> none = get(base + path, null);
                assertEquals(401, none.statusCode(), path);
                assertEquals("no API token: send Authorization: Bearer <token> (or ?token= for event streams)\n",
                        none.body());
                assertEquals(401, get(base + path, "Bearer wrong").statusCode(), path);
                assertEquals(401, get(base + path, "Bearer " + TOKEN + "x").statusCode(), path);
                assertEquals(401, get(base + path + "?token=" + TOKEN.substring(1), null).statusCode(), path);
            }
            HttpResponse<String> list = get(base + "/api/v1/streams", "Bearer " + TOKEN);
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains("\"stream\":\"token\""), list.body());
            assertEquals(200, get(base + "/api/v1/streams/live/token", "Bearer " + TOKEN).statusCode());
            assertEquals(200, get(base + "/api/v1/streams?token=" + TOKEN, null).statusCode());

            List<StreamEventsTest.Received> events =
                    StreamEventsTest.read(URI.create(base + "/api/v1/events?token=" + TOKEN), 2);
            assertTrue(StreamEventsTest.names(events.get(0).list()).contains("live/token"));

            assertEquals(200, get(base + "/api/v1/time", null).statusCode());
            HttpResponse<String> report = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/qoe"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"app\":\"live\",\"stream\":\"token\","
                            + "\"session\":\"s1\",\"protocol\":\"artc\",\"e2eLatencyMs\":[120]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, report.statusCode(), report.body());
            assertNotEquals(401, get(base + "/console/", null).statusCode());
        }
    }

    @Test
    void anEmptyTokenLeavesTheApiOpen() throws Exception {
        try (LiveShardNode node = TestNode.start()) {
            assertEquals(200, get("http://127.0.0.1:" + node.httpPort() + "/api/v1/streams", null).statusCode());
        }
    }
}
