package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/qoe against a running node with a live stream: a good report reaches the API and metrics, hostile
 * ones are refused with 4xx, and a flood of invented stream names leaves the metrics' label values and the stream
 * list untouched.
 */
class QoeApiTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int FAKE_STREAMS = 10_000;
    /** Enough tokens for the whole test, but a sustained rate of one report a second: the end must hit the limit. */
    private static final int BURST = FAKE_STREAMS + 100;

    private static String report(String stream, String extra) {
        return "{\"app\":\"live\",\"stream\":\"" + stream + "\",\"session\":\"s1\",\"protocol\":\"artc\"" + extra
                + "}";
    }

    private static HttpResponse<String> post(String base, String contentType, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/qoe"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void validatesBoundsAndRateLimitsReports() throws Exception {
        StreamKey key = new StreamKey("live", "qoe");
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.qoe.burst", BURST,
                "liveshard.qoe.reports-per-second", 1, "liveshard.qoe.max-streams", 1));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/qoe", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            String base = "http://127.0.0.1:" + node.httpPort();
            // Reports are taken for streams the node lists as live; its list may lag a new stream by a moment.
            StreamEventsTest.awaitListed(URI.create(base + "/api/v1/streams"), null, "live/qoe");

            HttpResponse<String> accepted = post(base, "application/json", report("qoe",
                    ",\"startup\":{\"signallingMs\":20,\"connectMs\":60,\"firstPacketMs\":70,\"firstFrameMs\":120},"
                            + "\"e2eLatencyMs\":[150,170,190],\"stalls\":{\"count\":1,\"durationMs\":400}"));
            assertEquals(204, accepted.statusCode(), accepted.body());
            String json = get(base + "/api/v1/streams/live/qoe");
            assertTrue(json.contains("\"qoe\":{\"artc\":{\"players\":1,\"reports\":1,\"latencySamples\":3,"
                    + "\"e2eLatencyP50Ms\":170.0"), json);

            assertEquals(413, post(base, "application/json", report("qoe", ",\"pad\":\"" + "x".repeat(20_000)
                    + "\"")).statusCode());
            // The same without Content-Length (chunked): the limit holds while the body streams in.
            byte[] oversized = report("qoe", ",\"pad\":\"" + "x".repeat(20_000) + "\"")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            HttpResponse<String> chunked = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/qoe"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(oversized)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, chunked.statusCode(), "a chunked body over the limit: " + chunked.body());
            assertEquals(400, post(base, "application/json", report("qoe", ",\"e2eLatencyMs\":[NaN]")).statusCode());
            assertEquals(400, post(base, "application/json", report("qoe", ",\"e2eLatencyMs\":[-1]")).statusCode());
            assertEquals(400, post(base, "application/json", report("qoe", ",\"e2eLatencyMs\":\"fast\""))
                    .statusCode());
            assertEquals(400, post(base, "application/json", "{\"app\":1}").statusCode());
            assertEquals(400, post(base, "application/json", "garbage").statusCode());
            assertEquals(415, post(base, "application/x-www-form-urlencoded", report("qoe", "")).statusCode());
            assertEquals(405, CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/qoe")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            AtomicInteger notFound = new AtomicInteger();
            Semaphore inFlight = new Semaphore(16);
            List<CompletableFuture<Void>> flood = new ArrayList<>();
            long floodStart = System.nanoTime();
            for (int i = 0; i < FAKE_STREAMS; i++) {
                inFlight.acquire();
                flood.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/qoe"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(report("fake" + i,
                                        ",\"e2eLatencyMs\":[100]"))).build(),
                        HttpResponse.BodyHandlers.discarding())
                        .thenAccept(response -> {
                            if (response.statusCode() == 404) {
                                notFound.incrementAndGet();
                            }
                        })
                        .whenComplete((ok, failure) -> inFlight.release()));
            }
            CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).join();
            System.out.printf("%d reports for invented streams in %d ms%n", FAKE_STREAMS,
                    (System.nanoTime() - floodStart) / 1_000_000);
            assertEquals(FAKE_STREAMS, notFound.get(), "every invented stream is refused");
            String metrics = get(base + "/metrics");
            assertFalse(metrics.contains("fake"), "no label values for invented streams");
            assertTrue(metrics.contains("liveshard_refusals_total{protocol=\"qoe\",reason=\"not-live\"} "
                    + FAKE_STREAMS + ".0"), metrics);
            String list = get(base + "/api/v1/streams");
            assertTrue(list.contains("\"streams\":[{\"app\":\"live\",\"stream\":\"qoe\"") && !list.contains("fake"),
                    "no stream entity was started for an invented name: " + list);

            // A second live stream, past the API's bound of one stream with reports: its report still reaches
            // /metrics, and the API keeps none for it.
            try (FfmpegPublisher second = FfmpegPublisher.start(
                    "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/qoefull", 30, 30)) {
                StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "qoefull"));
                StreamEventsTest.awaitListed(URI.create(base + "/api/v1/streams"), null, "live/qoefull");
                HttpResponse<String> pastTheBound = post(base, "application/json", report("qoefull",
                        ",\"stalls\":{\"count\":2,\"durationMs\":300}"));
                assertEquals(204, pastTheBound.statusCode(), pastTheBound.body());
                String withSecond = get(base + "/metrics");
                assertTrue(withSecond.contains("liveshard_qoe_stalls_total{app=\"live\",protocol=\"artc\","
                        + "stream=\"qoefull\"} 2.0"), withSecond);
                assertTrue(withSecond.contains(
                        "liveshard_refusals_total{protocol=\"qoe\",reason=\"api-full\"} 1.0"), withSecond);
                String secondJson = get(base + "/api/v1/streams/live/qoefull");
                assertTrue(secondJson.contains("\"qoe\":{}"), "the API keeps no QoE for it: " + secondJson);
            }

            int limited = 0;
            for (int i = 0; i < 200; i++) {
                if (post(base, "application/json", report("qoe", "")).statusCode() == 429) {
                    limited++;
                }
            }
            assertTrue(limited > 0, "the client's burst is spent and its rate is one report a second");
        }
    }
}
