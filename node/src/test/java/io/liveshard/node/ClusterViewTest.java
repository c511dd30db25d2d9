package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.testkit.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster view lists as owned only the streams whose entity runs, not every name anyone ever asked for. */
class ClusterViewTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStreamAskedForButNeverPublishedLeavesTheViewWhenItsEntityPassivates() throws Exception {
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.stream.idle-passivation", "5s"))) {
            String base = "http://127.0.0.1:" + node.httpPort();
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/live/ghost.flv")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(List.of("live/ghost"), owned(base), "the asked-for stream's entity runs for a while");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<String> owned = owned(base);
            while (!owned.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                owned = owned(base);
            }
            assertEquals(List.of(), owned, "streams owned after the entity passivated");
        }
    }

    private static List<String> owned(String base) throws Exception {
        JsonNode view = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cluster")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        List<String> owned = new ArrayList<>();
        view.get("nodes").get(0).get("streamsOwned").forEach(stream -> owned.add(stream.asText()));
        return owned;
    }
}
