package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Traffic metering counts what viewers of each protocol were really sent: an HTTP-FLV viewer's bytes, an RTMP
 * player's, HLS segments fetched; the API gives them per stream and per app with the peak minute, and /metrics
 * the running totals.
 */
class TrafficMeteringTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void bytesDeliveredAreMeteredPerStreamProtocolAndApp() throws Exception {
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/metered", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "metered"));
            String base = "http://127.0.0.1:" + node.httpPort();
            long flvBytes;
            try (FlvViewer flv = FlvViewer.open(base + "/live/metered.flv");
                 RtmpPlayer rtmp = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "metered")) {
                flv.awaitTags(90, Duration.ofSeconds(15));
                rtmp.awaitVideoFrames(60, Duration.ofSeconds(15));
                // FLV tags as received: an 11-byte header, the body and a 4-byte trailer each.
                flvBytes = flv.tags().stream().mapToLong(tag -> 15 + tag.tag().body().length).sum();
            }
            String playlist = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/live/metered.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher segment = Pattern.compile("(?m)^(\\S+\\.ts)$").matcher(playlist);
            assertTrue(segment.find(), playlist);
            long segmentBytes = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/live/" + segment.group(1)))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
            Thread.sleep(1500);

            JsonNode traffic = new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/traffic?minutes=5")).build(), HttpResponse.BodyHandlers.ofString())
                    .body());
            long meteredFlv = bytes(traffic, "http-flv");
            assertTrue(meteredFlv >= flvBytes && meteredFlv < flvBytes * 2 + 100_000,
                    "HTTP-FLV metered " + meteredFlv + " for " + flvBytes + " received: " + traffic);
            assertTrue(bytes(traffic, "rtmp") > 100_000, "RTMP: " + traffic);
            assertTrue(bytes(traffic, "hls") >= segmentBytes, "HLS: " + traffic);
            for (JsonNode app : traffic.get("apps")) {
                assertEquals("live", app.get("app").asText());
                assertTrue(app.get("peakMbps").asDouble() > 0, traffic.toString());
            }
            assertEquals(400, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/traffic?minutes=0"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode());

            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("liveshard_bytes_sent_total{app=\"live\",protocol=\"http-flv\","
                    + "stream=\"metered\"}"), "the counter is exposed");
        }
    }

    private static long bytes(JsonNode traffic, String protocol) {
        for (JsonNode stream : traffic.get("streams")) {
            if (stream.get("stream").asText().equals("metered") && stream.get("protocol").asText().equals(protocol)) {
                return stream.get("bytes").asLong();
            }
        }
        throw new AssertionError("no " + protocol + " traffic in " + traffic);
    }
}
