package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.artc.ArtcSettings;
import io.liveshard.node.testkit.ArtcClientLoop;
import io.liveshard.node.testkit.ArtcTestClient;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.MetricsText;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * artc sessions end to end with the test client ({@link ArtcTestClient}): real WHEP, ICE, DTLS and SRTP on
 * 127.0.0.1 against an ffmpeg-published stream. Media decrypts, a NACK brings back the packet as RTX, a PLI starts
 * a GOP replay (and a second one within the replay interval does not), silence ends a session after the consent
 * timeout, and a check from a new port moves the media there.
 */
class ArtcSessionTest {

    private static final StreamKey KEY = new StreamKey("live", "artcsession");
    /** Short, so the consent test waits seconds, not the default 30 s. */
    private static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LiveShardNode node;
    private static FfmpegPublisher publisher;
    private static final StreamKey B_FRAMES = new StreamKey("live", "artcbframes");
    private static FfmpegPublisher bFramePublisher;
    private static ArtcClientLoop loop;

    @BeforeAll
    static void publish() throws Exception {
        node = TestNode.start(Map.of("liveshard.artc.consent-timeout", "3s", "liveshard.hls.sweep-interval", "1s"));
        // A GOP of 4 s: a PLI's replay is then distinguishable from the encoder's own keyframes.
        publisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/" + KEY.app() + "/"
                + KEY.stream(), 90, 120);
        // x264's default B-frames (three per P, a B-pyramid: one of them a reference frame), all of which artc leaves
        // out.
        bFramePublisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/" + B_FRAMES.app() + "/"
                + B_FRAMES.stream(), 90, java.util.List.of("-preset", "veryfast", "-bf", "3", "-b_strategy", "0",
                "-x264-params", "b-pyramid=normal", "-g", "60"));
        StreamProbe.awaitLiveWithGop(node, KEY);
        StreamProbe.awaitLiveWithGop(node, B_FRAMES);
        loop = ArtcClientLoop.forTests();
    }

    @AfterAll
    static void stop() throws Exception {
        if (loop != null) {
            loop.close();
        }
        publisher.close();
        bFramePublisher.close();
        node.close();
    }

    private static ArtcTestClient connect() throws Exception {
        return ArtcTestClient.connect(loop, ArtcTestClient.Options.forTests(), "127.0.0.1", node.httpPort(),
                KEY.app(), KEY.stream());
    }

    @Test
    void h264AndOpusArriveAndDecrypt() throws Exception {
        try (ArtcTestClient client = connect()) {
            await(() -> client.videoPackets() >= 100 && client.audioPackets() >= 50, Duration.ofSeconds(10),
                    () -> "video " + client.videoPackets() + ", audio " + client.audioPackets());
            assertTrue(client.audioPayloadType() >= 0, "the answer offers Opus for an AAC stream");
            assertEquals(0, client.refusedPackets(), "every SRTP packet authenticates");
            boolean keyframe = false;
            boolean opus = false;
            for (ArtcTestClient.Received packet : client.received()) {
                if (packet.payloadType() == client.videoPayloadType()) {
                    keyframe |= ArtcTestClient.startsKeyframe(packet.payload(), 0, packet.payload().length);
                    int nal = packet.payload()[0] & 0x1f;
                    assertTrue(nal >= 1 && nal <= 24 || nal == 28, "H.264 NAL or STAP-A/FU-A, got type " + nal);
                } else if (packet.payloadType() == client.audioPayloadType()) {
                    // RFC 6716 3.1: every Opus packet has a TOC byte; 20 ms CELT/SILK frames are a few dozen bytes.
                    opus |= packet.payload().length >= 1 && packet.payload().length < 1276;
                }
            }
            assertTrue(keyframe, "the stream starts with a keyframe from the GOP cache");
            assertTrue(opus, "Opus packets");
            // Server-added latency of what this viewer gets now, audio (transcoded) included: milliseconds. The bound
            // is loose for a busy test machine; audio held back by the transcoder's thread (up to 500 ms) fails it.
            Map<Double, Double> before = latencyBuckets();
            Thread.sleep(3000);
            Map<Double, Double> after = latencyBuckets();
            double frames = after.get(Double.POSITIVE_INFINITY) - before.get(Double.POSITIVE_INFINITY);
            double within = after.get(0.1) - before.get(0.1);
            assertTrue(frames >= 100 && within >= 0.9 * frames, within + " of " + frames
                    + " frames left within 100 ms of ingest");
            assertEquals(200, client.delete());
        }
    }

    /**
     * One AAC-to-Opus transcoder per stream, whatever the number of artc viewers: started with the first and stopped
     * after the last (it subscribes to the stream as one client of its own, which the clients API lists).
     */
    @Test
    void oneTranscoderServesEveryArtcViewerOfAStreamAndStopsAfterTheLast() throws Exception {
        try (ArtcTestClient first = connect(); ArtcTestClient second = connect()) {
            await(() -> first.audioPackets() >= 50 && second.audioPackets() >= 50, Duration.ofSeconds(10),
                    () -> "audio " + first.audioPackets() + " and " + second.audioPackets());
            assertEquals(1, transcoders(), () -> "one transcoder for two viewers: " + clients());
            assertEquals(200, first.delete());
            long audio = second.audioPackets();
            Thread.sleep(1000);
            assertTrue(second.audioPackets() >= audio + 25, "the other viewer keeps its audio (50 packets a second)");
            assertEquals(1, transcoders(), () -> "one viewer left, the transcoder stays: " + clients());
            assertEquals(200, second.delete());
            await(() -> transcoders() == 0, Duration.ofSeconds(5), () -> "no transcoder after the last viewer: "
                    + clients());
        }
    }

    private static long transcoders() {
        return java.util.stream.StreamSupport.stream(clients().path("clients").spliterator(), false)
                .filter(client -> client.path("protocol").asText().equals(ArtcSettings.AUDIO_SUBSCRIBER)).count();
    }

    private static com.fasterxml.jackson.databind.JsonNode clients() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/streams/" + KEY.app() + "/"
                            + KEY.stream() + "/clients")).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("the clients API did not answer", e);
        }
    }

    @Test
    void bFramesAreLeftOutSoVideoArrivesInPresentationOrder() throws Exception {
        try (ArtcTestClient client = ArtcTestClient.connect(loop, ArtcTestClient.Options.forTests(), "127.0.0.1",
                node.httpPort(), B_FRAMES.app(), B_FRAMES.stream())) {
            Thread.sleep(3000);
            long previous = -1;
            int frames = 0;
            for (ArtcTestClient.Received packet : client.received()) {
                if (packet.payloadType() != client.videoPayloadType() || packet.timestamp() == previous) {
                    continue;
                }
                if (previous >= 0) {
                    assertTrue((int) (packet.timestamp() - previous) > 0, "video frame " + frames + " at RTP time "
                            + packet.timestamp() + " after " + previous + ": out of presentation order");
                }
                previous = packet.timestamp();
                frames++;
            }
            // 30 fps with three of every four frames B-frames: about 8 frames a second remain (GOP burst aside).
            assertTrue(frames >= 15, frames + " video frames in 3 s");
            assertTrue(frames < 3 * 30, frames + " video frames in 3 s: B-frames were not left out");
            assertEquals(0, client.refusedPackets());
            assertEquals(200, client.delete());
        }
    }

    @Test
    void aNackIsAnsweredWithTheSamePayloadAsRtxAndCounted() throws Exception {
        try (ArtcTestClient client = connect()) {
            assertTrue(client.rtxPayloadType() >= 0, "the answer pairs H.264 with rtx");
            await(() -> client.videoPackets() >= 50, Duration.ofSeconds(10), () -> "video " + client.videoPackets());
            ArtcTestClient.Received original = null;
            for (ArtcTestClient.Received packet : client.received()) {
                if (packet.payloadType() == client.videoPayloadType()) {
                    original = packet;
                }
            }
            assertNotNull(original);
            // Within the node's 1 s retransmission window.
            client.sendNack(original.ssrc(), original.sequenceNumber());
            ArtcTestClient.Received rtx = awaitPacket(client, p -> p.payloadType() == client.rtxPayloadType(),
                    Duration.ofSeconds(3));
            assertNotNull(rtx, "no RTX packet after the NACK");
            assertEquals(original.sequenceNumber(), rtx.originalSequenceNumber());
            assertEquals(original.timestamp(), rtx.timestamp());
            assertNotEquals(original.ssrc(), rtx.ssrc(), "RTX has its own SSRC");
            byte[] repaired = java.util.Arrays.copyOfRange(rtx.payload(), 2, rtx.payload().length);
            assertArrayEquals(original.payload(), repaired, "RTX payload = OSN + the original payload");

            // Sender reports flush the session's counters once a second.
            String stream = "app=\"" + KEY.app() + "\",stream=\"" + KEY.stream() + "\"";
            await(() -> metric("liveshard_artc_nacked_packets_total{" + stream) >= 1
                            && metric("liveshard_artc_packets_sent_total{app=\"" + KEY.app() + "\",kind=\"video\","
                            + "stream=\"" + KEY.stream() + "\"") > 0,
                    Duration.ofSeconds(5), () -> "metrics:\n" + artcMetrics());
            await(() -> artcMetrics().lines().anyMatch(line -> line.startsWith("liveshard_artc_packets_sent_total{")
                            && line.contains("stream=\"" + KEY.stream() + "\"")
                            && line.contains("kind=\"retransmission\"")
                            && !line.endsWith(" 0.0")),
                    Duration.ofSeconds(5), () -> "no retransmission counted:\n" + artcMetrics());
            assertEquals(200, client.delete());
        }
    }

    @Test
    void aPliStartsAGopReplayAndASecondWithinTheIntervalDoesNot() throws Exception {
        try (ArtcTestClient client = connect()) {
            await(() -> client.videoSsrc() >= 0 && client.videoPackets() >= 30, Duration.ofSeconds(10),
                    () -> "video " + client.videoPackets());
            assertEquals(0, client.keyframeReplays());
            client.sendPli(client.videoSsrc());
            await(() -> client.keyframeReplays() == 1, Duration.ofSeconds(2), () -> "no GOP replay after a PLI");
            client.sendPli(client.videoSsrc());
            Thread.sleep(700);
            assertEquals(1, client.keyframeReplays(), "a second PLI within 1 s starts no second replay");
            assertEquals(0, client.refusedPackets());
            assertEquals(200, client.delete());
        }
    }

    @Test
    void aPlayingSessionHoldsNoThreadAndACloseNotifyEndsIt() throws Exception {
        try (ArtcTestClient client = connect()) {
            await(() -> client.videoPackets() >= 10, Duration.ofSeconds(10), () -> "video " + client.videoPackets());
            assertEquals(List.of(), threadsWaitingOnDtls(), "node threads waiting on a playing session's DTLS");

            client.sendCloseNotify();
            long sent = System.nanoTime();
            StreamProbe.awaitStatus(node, KEY, status -> status.viewers().getOrDefault("artc", 0) == 0,
                    Duration.ofSeconds(5), "without artc viewers after the close_notify");
            assertTrue(System.nanoTime() - sent < CONSENT_TIMEOUT.toNanos(),
                    "the session ended on the close_notify, not on the consent timeout");
            assertEquals(404, deleteStatus(client.location()), "the node no longer knows the session");
        }
    }

    /** The node's DTLS threads that sit in a session's receive: each would be a thread per viewer. */
    private static List<String> threadsWaitingOnDtls() {
        List<String> waiting = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("artc-dtls") && Arrays.stream(stack)
                    .anyMatch(frame -> frame.getClassName().endsWith("DtlsDatagramTransport")
                            && frame.getMethodName().equals("receive"))) {
                waiting.add(thread.getName());
            }
        });
        return waiting;
    }

    @Test
    void silenceEndsTheSessionAfterTheConsentTimeout() throws Exception {
        try (ArtcTestClient client = connect()) {
            await(() -> client.videoPackets() >= 10, Duration.ofSeconds(10), () -> "video " + client.videoPackets());
            client.pauseConsent(true);
            long paused = System.nanoTime();
            // Closing the session stops its media: wait for a silence longer than any gap of a live stream.
            await(() -> System.nanoTime() - client.lastMediaNanos() > 1_500_000_000L, Duration.ofSeconds(15),
                    () -> "media still flowing after consent stopped");
            long silentAfterMillis = (client.lastMediaNanos() - paused) / 1_000_000;
            // The last check went out up to one consent interval (1 s) before the pause.
            assertTrue(silentAfterMillis >= CONSENT_TIMEOUT.toMillis() - 1000, "media stopped " + silentAfterMillis
                    + " ms after the pause, before the " + CONSENT_TIMEOUT.toMillis() + " ms consent timeout");
            assertEquals(404, deleteStatus(client.location()), "the node no longer knows the session");
            StreamProbe.awaitStatus(node, KEY, status -> status.viewers().getOrDefault("artc", 0) == 0,
                    Duration.ofSeconds(5), "without artc viewers");
        }
    }

    @Test
    void aValidCheckFromANewPortMovesTheMedia() throws Exception {
        try (ArtcTestClient client = connect()) {
            await(() -> client.packetsOnSocket(0) >= 20, Duration.ofSeconds(10), () -> "media on the first port");
            int moved = client.moveToNewSocket();
            await(() -> client.packetsOnSocket(moved) >= 20, Duration.ofSeconds(5), () -> "media on the new port");
            long before = client.packetsOnSocket(0);
            Thread.sleep(500);
            assertTrue(client.packetsOnSocket(0) - before <= 2, "media left the old port");
            assertEquals(0, client.refusedPackets());
            // The moved session is kept alive by checks from its new port, past the consent timeout.
            Thread.sleep(CONSENT_TIMEOUT.toMillis() + 1500);
            long now = client.packetsOnSocket(moved);
            await(() -> client.packetsOnSocket(moved) > now + 10, Duration.ofSeconds(3), () -> "media stopped");
            assertEquals(200, client.delete());
        }
    }

    private static int deleteStatus(String location) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + location))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The node's artc server-latency histogram for the stream: cumulative counts by upper bound in seconds. */
    private static Map<Double, Double> latencyBuckets() throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String prefix = "liveshard_server_latency_seconds_bucket{app=\"" + KEY.app()
                + "\",protocol=\"artc\",stream=\"" + KEY.stream() + "\",le=\"";
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                String bound = line.substring(prefix.length(), line.indexOf('"', prefix.length()));
                buckets.put(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return buckets;
    }

    private static String artcMetrics() {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            StringBuilder artc = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.startsWith("liveshard_artc_")) {
                    artc.append(line).append('\n');
                }
            }
            return artc.toString();
        } catch (Exception e) {
            return "(no /metrics: " + e + ")";
        }
    }

    /** The sum of the samples of the metric lines starting with {@code prefix}. */
    private static double metric(String prefix) {
        return MetricsText.sum(artcMetrics(), prefix);
    }

    private static ArtcTestClient.Received awaitPacket(ArtcTestClient client,
            java.util.function.Predicate<ArtcTestClient.Received> wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ArtcTestClient.Received packet = client.received().poll(100, TimeUnit.MILLISECONDS);
            if (packet != null && wanted.test(packet)) {
                return packet;
            }
        }
        return null;
    }

    private static void await(BooleanSupplier condition, Duration timeout,
                              java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
