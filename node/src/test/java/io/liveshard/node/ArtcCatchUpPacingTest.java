package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.ArtcClientLoop;
import io.liveshard.node.testkit.ArtcTestClient;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.MetricsText;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Instant start without a burst: a new artc viewer of a ~2.8 Mbit/s stream with seconds of GOP cached gets that GOP
 * much faster than real time, but never faster than the configured catch-up bitrate after the first burst.
 */
class ArtcCatchUpPacingTest {

    private static final StreamKey KEY = new StreamKey("live", "artcpacing");
    private static final long CATCH_UP_BITS_PER_SECOND = 8_000_000;
    private static final int BURST_BYTES = 16 * 1024;
    /** What SRTP adds to a payload the client sees: the 12-octet RTP header and the 16-octet GCM tag. */
    private static final int PACKET_OVERHEAD = 28;
    private static LiveShardNode node;
    private static FfmpegPublisher publisher;
    private static ArtcClientLoop loop;

    @BeforeAll
    static void publish() throws Exception {
        node = TestNode.start(Map.of("liveshard.artc.catch-up-bitrate", String.valueOf(CATCH_UP_BITS_PER_SECOND),
                "liveshard.artc.catch-up-burst", String.valueOf(BURST_BYTES)));
        // A keyframe every 10 s, so the GOP cache holds seconds of the stream when the viewer comes; CRF 8 makes
        // the test pattern about 2.8 Mbit/s.
        publisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/" + KEY.app() + "/"
                + KEY.stream(), 60, List.of("-preset", "veryfast", "-tune", "zerolatency", "-g", "300",
                "-crf", "8"));
        // About 2.5 s of video and audio frames (30 + ~47 per second).
        StreamProbe.awaitStatus(node, KEY, s -> s.publishing() && s.stats().gopCacheFrames() >= 190,
                Duration.ofSeconds(30), "live with 2.5 s of GOP cached");
        loop = ArtcClientLoop.forTests();
    }

    @AfterAll
    static void stop() throws Exception {
        if (loop != null) {
            loop.close();
        }
        publisher.close();
        node.close();
    }

    @Test
    void theCachedGopArrivesFastButPacedToTheCatchUpBitrate() throws Exception {
        try (ArtcTestClient client = ArtcTestClient.connect(loop, ArtcTestClient.Options.forTests(), "127.0.0.1",
                node.httpPort(), KEY.app(), KEY.stream())) {
            Thread.sleep(2500);
            List<ArtcTestClient.Received> packets = new ArrayList<>(client.received());
            assertEquals(0, client.refusedPackets());
            long bytesInFirstHalfSecond = assertPaced(client, packets);
            // Live alone is ~2.8 Mbit/s, 175 kB in half a second: well over that means the GOP came at catch-up
            // speed, which is the point of the cache (the pacer allows ~520 kB).
            assertTrue(bytesInFirstHalfSecond > 260_000, String.format("only %,d bytes in the first 0.5 s",
                    bytesInFirstHalfSecond));
            long firstVideo = client.timeToFirstVideoNanos();
            assertTrue(firstVideo > 0 && firstVideo < Duration.ofSeconds(1).toNanos(),
                    "first video " + firstVideo / 1_000_000 + " ms after the POST");
            // The catch-up took about a second; the frames that arrived meanwhile went out behind it. The node's
            // server latency counts only the frames sent once the viewer had caught up: they leave at once.
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String series = "liveshard_server_latency_seconds_bucket{app=\"live\",protocol=\"artc\",stream=\""
                    + KEY.stream() + "\",le=\"";
            double within250ms = MetricsText.sum(metrics, series + "0.25\"}");
            double all = MetricsText.sum(metrics, series + "+Inf\"}");
            assertTrue(all >= 20 && within250ms == all, "artc frames recorded after the catch-up: " + within250ms
                    + " of " + all + " within 250 ms: " + metrics.lines().filter(line -> line.startsWith(series))
                    .toList());
        }
    }

    @Test
    void aKeyframeRequestsGopReplayIsPacedToo() throws Exception {
        try (ArtcTestClient client = ArtcTestClient.connect(loop, ArtcTestClient.Options.forTests(), "127.0.0.1",
                node.httpPort(), KEY.app(), KEY.stream())) {
            // Caught up and live, with seconds of GOP (about 2 MB) behind the viewer.
            Thread.sleep(3000);
            client.received().clear();
            client.sendPli(client.videoSsrc());
            Thread.sleep(1500);
            List<ArtcTestClient.Received> packets = new ArrayList<>(client.received());
            assertEquals(1, client.keyframeReplays(), "the PLI was answered with the GOP");
            long bytesInFirstHalfSecond = assertPaced(client, packets);
            assertTrue(bytesInFirstHalfSecond > 260_000, String.format("only %,d bytes in the first 0.5 s: "
                    + "the replay should come at the catch-up bitrate", bytesInFirstHalfSecond));
        }
    }

    /**
     * Asserts that what arrived never ran ahead of the pacer (counted from the first packet: the burst, the largest
     * frame, and the catch-up bitrate since), and returns the bytes of the first half second.
     */
    private static long assertPaced(ArtcTestClient client, List<ArtcTestClient.Received> packets) {
        assertTrue(packets.size() > 100, packets.size() + " packets");
        long first = packets.get(0).arrivalNanos();
        Map<Long, Integer> frameBytes = new HashMap<>();
        for (ArtcTestClient.Received packet : packets) {
            if (packet.payloadType() == client.videoPayloadType()) {
                frameBytes.merge(packet.timestamp(), packet.payload().length + PACKET_OVERHEAD, Integer::sum);
            }
        }
        // The pacer lets a whole frame go once it is out of debt: the bound allows the largest frame on top.
        int largestFrame = frameBytes.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        long bytes = 0;
        long bytesInFirstHalfSecond = 0;
        for (ArtcTestClient.Received packet : packets) {
            bytes += packet.payload().length + PACKET_OVERHEAD;
            double seconds = (packet.arrivalNanos() - first) / 1e9;
            // A millisecond of slack for the clocks of two threads.
            double allowed = BURST_BYTES + largestFrame + CATCH_UP_BITS_PER_SECOND / 8.0 * (seconds + 0.001);
            assertTrue(bytes <= allowed, String.format("%,d bytes had arrived %.1f ms after the first packet; "
                    + "the pacer allows %,.0f (largest frame %,d bytes)", bytes, seconds * 1000, allowed,
                    largestFrame));
            if (seconds <= 0.5) {
                bytesInFirstHalfSecond = bytes;
            }
        }
        return bytesInFirstHalfSecond;
    }
}
