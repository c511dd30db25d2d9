package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/events against a node with a live stream: server-sent events that carry the same stream list as
 * GET /api/v1/streams, one a second.
 */
class StreamEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One event's data and when it arrived. */
    record Received(long atNanos, JsonNode list) {}

    @Test
    void pushesTheStreamListOnceASecond() throws Exception {
        StreamKey key = new StreamKey("live", "events");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/events", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            awaitListed(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/streams"), null, "live/events");
            List<Received> events = read(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/events"), 4);

            for (Received event : events) {
                assertTrue(event.list().get("serverTimeMillis").asLong() > 0, event.list().toString());
                assertTrue(names(event.list()).contains("live/events"), event.list().toString());
                // Nobody watches: every protocol is named, at 0.
                assertEquals("{\"artc\":0,\"hls\":0,\"http-flv\":0,\"ll-hls\":0,\"rtmp\":0}",
                        event.list().get("streams").get(0).get("viewers").toString(), event.list().toString());
            }
            // The first event is made on connecting; the next ones come from the node's shared tick.
            for (int i = 2; i < events.size(); i++) {
                long gapMillis = (events.get(i).atNanos() - events.get(i - 1).atNanos()) / 1_000_000;
                assertTrue(gapMillis >= 600 && gapMillis <= 1500, "events " + (i - 1) + " and " + i + " came "
                        + gapMillis + " ms apart");
            }
        }
    }

    /**
     * Waits until the stream list names {@code stream}: the API's index of streams may be half a second older than
     * the stream (see LiveStreamIndex).
     */
    static void awaitListed(URI uri, String authorization, String stream) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            body = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.startsWith("{") && names(JSON.readTree(body)).contains(stream)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(stream + " not in the stream list within 5 s: " + body);
    }

    /** The first {@code count} events of the SSE stream at {@code uri}, within ten seconds. */
    static List<Received> read(URI uri, int count) throws Exception {
        HttpResponse<Stream<String>> response = CLIENT.send(HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("")
                .split(";")[0]);
        try (Stream<String> lines = response.body()) {
            return CompletableFuture.supplyAsync(() -> {
                List<Received> events = new ArrayList<>();
                Iterator<String> it = lines.iterator();
                while (events.size() < count && it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("data: ")) {
                        try {
                            events.add(new Received(System.nanoTime(), JSON.readTree(line.substring(6))));
                        } catch (Exception e) {
                            throw new AssertionError("event data is not JSON: " + line, e);
                        }
                    }
                }
                return events;
            }).get(10, TimeUnit.SECONDS);
        }
    }

    static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("streams").forEach(s -> names.add(s.get("app").asText() + "/" + s.get("stream").asText()));
        return names;
    }
}
