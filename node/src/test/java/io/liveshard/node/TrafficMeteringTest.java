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
 * Traffic metering counts what viewers of each protocol were really sent: two HTTP-FLV viewers', an RTMP
 * player's and the HLS segments fetched agree within 2 % with what those clients received; the API gives them per
 * stream and per app with the peak minute, and /metrics the running totals.
 */
class TrafficMeteringTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long the viewers watch the stream, as the acceptance test asks. */
    private static final Duration WATCH = Duration.ofSeconds(60);

    @Test
    void bytesDeliveredAreMeteredPerStreamProtocolAndApp() throws Exception {
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/metered", 90, 30)) {
            StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "metered"));
            String base = "http://127.0.0.1:" + node.httpPort();
            long flvReceived = 0;
            long rtmpReceived;
            try (FlvViewer first = FlvViewer.open(base + "/live/metered.flv");
                 FlvViewer second = FlvViewer.open(base + "/live/metered.flv");
                 RtmpPlayer rtmp = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "metered")) {
                Thread.sleep(WATCH.toMillis());
                for (FlvViewer viewer : java.util.List.of(first, second)) {
                    // The FLV header (13 bytes with the first tag-size field), then per tag 11 + body + 4 bytes.
                    flvReceived += 13 + viewer.tags().stream().mapToLong(tag -> 15 + tag.tag().body().length).sum();
                }
                rtmpReceived = rtmp.bytesReceived();
            }
            String playlist = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/live/metered.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher segment = Pattern.compile("(?m)^(\\S+\\.ts)$").matcher(playlist);
            long hlsReceived = 0;
            while (segment.find()) {
                hlsReceived += HTTP.send(HttpRequest.newBuilder(URI.create(base + "/live/" + segment.group(1)))
                        .build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
            }
            assertTrue(hlsReceived > 0, playlist);
            // Counts settle into the meter once a second.
            Thread.sleep(1500);

            JsonNode traffic = new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/traffic?minutes=5")).build(), HttpResponse.BodyHandlers.ofString())
                    .body());
            assertWithinTwoPercent("http-flv", bytes(traffic, "http-flv"), flvReceived, traffic);
            // RTMP: the player also read the handshake and the connect/play replies, which precede playback.
            assertWithinTwoPercent("rtmp", bytes(traffic, "rtmp"), rtmpReceived, traffic);
            assertWithinTwoPercent("hls", bytes(traffic, "hls"), hlsReceived, traffic);
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

    private static void assertWithinTwoPercent(String protocol, long metered, long received, JsonNode traffic) {
        assertTrue(Math.abs(metered - received) <= received * 0.02, protocol + ": metered " + metered
                + " bytes, clients received " + received + ": " + traffic);
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
