package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.testkit.NodeProcess;
import io.liveshard.node.testkit.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;

/**
 * Pekko Management on its own port: health checks an orchestrator can probe, and the cluster's members, read-only,
 * as the nodes of a two-node cluster see them.
 */
class PekkoManagementTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void healthChecksAndTheClusterMembersAnswerAndTheMembersCannotBeChanged() throws Exception {
        int originPort = NodeProcess.freePort();
        int edgePort = NodeProcess.freePort();
        try (LiveShardNode origin = TestNode.start(Map.of("pekko.management.http.port", originPort))) {
            String seed = Cluster.get(origin.system()).selfMember().address().toString();
            try (LiveShardNode edge = TestNode.start(Map.of("pekko.management.http.port", edgePort,
                    "pekko.cluster.seed-nodes", List.of(seed)))) {
                assertEquals(200, get(originPort, "/alive").statusCode(), "alive");
                awaitStatus(edgePort, "/ready", 200);
                awaitStatus(originPort, "/ready", 200);

                JsonNode members = JSON.readTree(get(edgePort, "/cluster/members").body());
                List<String> up = new ArrayList<>();
                members.get("members").forEach(member -> {
                    if (member.get("status").asText().equals("Up")) {
                        up.add(member.get("node").asText());
                    }
                });
                String edgeAddress = Cluster.get(edge.system()).selfMember().address().toString();
                assertEquals(2, up.size(), "both nodes Up: " + members);
                assertTrue(up.contains(seed) && up.contains(edgeAddress), up.toString());

                // Read-only: no one downs or removes a node through this port.
                HttpResponse<String> leave = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + edgePort + "/cluster/members/" + URLEncoder.encode(edgeAddress, StandardCharsets.UTF_8)))
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(leave.statusCode() >= 400, "DELETE answered " + leave.statusCode());
                Thread.sleep(500);
                assertEquals(2, JSON.readTree(get(originPort, "/cluster/members").body()).get("members").size());
            }
        }
    }

    @Test
    void switchedOffTheNodeBindsNoManagementPort() throws Exception {
        int port = NodeProcess.freePort();
        try (LiveShardNode node = TestNode.start(Map.of("pekko.management.http.port", port,
                "liveshard.management.enabled", false))) {
            assertTrue(node.httpPort() > 0);
            assertThrows(IOException.class, () -> get(port, "/alive"));
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitStatus(int port, String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = get(port, path).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        assertEquals(status, last, path + " on port " + port);
    }
}
