package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.ArtcClientLoop;
import io.liveshard.node.testkit.ArtcTestClient;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.HookReceiver;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks (liveshard.hooks) with real clients against a real hook receiver: ffmpeg publishing, HTTP-FLV and RTMP
 * players. The receiver allows, denies by stream name or token, never answers ({@code hang}), and answers the
 * first attempt of every stop event 500. Publish fails closed and play fails open here.
 */
class WebhooksTest {

    private static final String SECRET = "hook-secret";
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final StreamKey CAM1 = new StreamKey("live", "cam1");
    private static final Path CHROMIUM_OFFER =
            Path.of("../protocol/src/test/resources/sdp/chromium-whep-recvonly-offer.sdp");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static HookReceiver receiver;
    private static LiveShardNode node;
    private static FfmpegPublisher cam1;

    @BeforeAll
    static void start() throws Exception {
        receiver = HookReceiver.start(WebhooksTest::answer);
        node = TestNode.start(Map.of(
                "liveshard.hooks.urls.publish", List.of(receiver.url("/publish")),
                "liveshard.hooks.urls.unpublish", List.of(receiver.url("/unpublish")),
                "liveshard.hooks.urls.play", List.of(receiver.url("/play")),
                "liveshard.hooks.urls.stop", List.of(receiver.url("/stop")),
                "liveshard.hooks.secret", SECRET,
                "liveshard.hooks.timeout", TIMEOUT.toMillis() + "ms",
                "liveshard.hooks.retry-backoff", "200ms",
                "liveshard.hooks.publish.fail-open", "off",
                "liveshard.hooks.play.fail-open", "on"));
        cam1 = FfmpegPublisher.start(rtmp() + "/live/cam1?token=pub-token", 120, 30);
        StreamProbe.awaitLiveWithGop(node, CAM1);
    }

    @AfterAll
    static void stop() throws Exception {
        cam1.close();
        node.close();
        receiver.close();
    }

    private static HookReceiver.Answer answer(HookReceiver.Received request) {
        String stream = request.field("stream");
        String token = request.json().path("query").path("token").asText("");
        return switch (request.path()) {
            case "/publish" -> stream.startsWith("denied") ? HookReceiver.Answer.deny("stream " + stream + " is blocked")
                    : stream.startsWith("hang") ? HookReceiver.Answer.NEVER : HookReceiver.Answer.allow();
            case "/play" -> token.equals("bad") ? HookReceiver.Answer.deny("bad token")
                    : token.equals("hang") ? HookReceiver.Answer.NEVER : HookReceiver.Answer.allow();
            case "/stop" -> receiver.attempt(request) == 1 ? new HookReceiver.Answer(500, "")
                    : HookReceiver.Answer.allow();
            default -> HookReceiver.Answer.allow();
        };
    }

    @Test
    void anAllowedPublishIsReportedSignedWithEveryField() throws Exception {
        HookReceiver.Received publish = receiver.await(r -> r.path().equals("/publish")
                && "cam1".equals(r.field("stream")), Duration.ofSeconds(5));
        long timestamp = Long.parseLong(publish.header("X-LiveShard-Timestamp"));
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - timestamp) < 300, "timestamp " + timestamp);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        assertEquals("sha256=" + HexFormat.of().formatHex(mac.doFinal(publish.body())),
                publish.header("X-LiveShard-Signature"));
        assertEquals("publish", publish.field("event"));
        assertEquals("publish", publish.header("X-LiveShard-Event"));
        assertEquals("live", publish.field("app"));
        assertEquals("rtmp", publish.field("protocol"));
        assertTrue(publish.field("client_address").startsWith("127.0.0.1:"), publish.field("client_address"));
        assertTrue(publish.field("client_id").startsWith("rtmp-"), publish.field("client_id"));
        assertEquals("pub-token", publish.json().get("query").get("token").asText());
        assertFalse(publish.field("node").isEmpty());
        assertTrue(Math.abs(System.currentTimeMillis() - publish.json().get("timestamp").asLong()) < 300_000);
    }

    @Test
    void aPublishTheHookDeniesIsRefusedWithItsReason() throws Exception {
        try (FfmpegPublisher denied = FfmpegPublisher.start(rtmp() + "/live/denied1", 10, 30)) {
            assertNotEquals(0, denied.waitFor(30, TimeUnit.SECONDS), denied.log());
            assertTrue(denied.log().contains("stream denied1 is blocked"), denied.log());
        }
        assertFalse(node.streams().status(new StreamKey("live", "denied1")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).publishing());
        assertTrue(receiver.received(r -> r.path().equals("/unpublish") && "denied1".equals(r.field("stream")))
                .isEmpty(), "a refused publish has no unpublish");
    }

    @Test
    void aPlayTheHookDeniesIsRefusedWithTheReasonOnEveryProtocol() throws Exception {
        HttpResponse<String> flv = HTTP.send(HttpRequest.newBuilder(URI.create(http() + "/live/cam1.flv?token=bad"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, flv.statusCode(), flv.body());
        assertTrue(flv.body().contains("bad token"), flv.body());
        for (String path : List.of("/live/cam1.m3u8", "/live/cam1/ll.m3u8")) {
            HttpResponse<String> playlist = HTTP.send(HttpRequest.newBuilder(URI.create(http() + path + "?token=bad"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, playlist.statusCode(), path + ": " + playlist.body());
            assertTrue(playlist.body().contains("bad token"), playlist.body());
        }
        HttpResponse<String> whep = HTTP.send(HttpRequest.newBuilder(URI.create(http() + "/live/cam1/whep?token=bad"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofFile(CHROMIUM_OFFER)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, whep.statusCode(), whep.body());
        assertTrue(whep.body().contains("bad token"), whep.body());
        try (RtmpPlayer player = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "cam1?token=bad")) {
            player.awaitStatus("NetStream.Play.StreamNotFound", Duration.ofSeconds(10));
            player.awaitEnd(Duration.ofSeconds(10));
            assertEquals(0, player.videoFrames());
        }
        assertEquals(Set.of("http-flv", "hls", "ll-hls", "artc", "rtmp"), receiver.received(r ->
                        r.path().equals("/play") && "bad".equals(r.json().path("query").path("token").asText()))
                .stream().map(r -> r.field("protocol")).collect(Collectors.toSet()), receiver.describe());
    }

    @Test
    void unpublishIsReportedWhenThePublisherLeaves() throws Exception {
        try (FfmpegPublisher shortLived = FfmpegPublisher.start(rtmp() + "/live/short1", 3, 30)) {
            assertEquals(0, shortLived.waitFor(30, TimeUnit.SECONDS), shortLived.log());
        }
        HookReceiver.Received publish = receiver.await(r -> r.path().equals("/publish")
                && "short1".equals(r.field("stream")), Duration.ofSeconds(5));
        HookReceiver.Received unpublish = receiver.await(r -> r.path().equals("/unpublish")
                && "short1".equals(r.field("stream")), Duration.ofSeconds(10));
        assertEquals("unpublish", unpublish.field("event"));
        assertEquals(publish.field("client_id"), unpublish.field("client_id"));
    }

    @Test
    void anArtcSessionEndingIsReportedAsAStop() throws Exception {
        try (ArtcClientLoop loop = ArtcClientLoop.forTests();
             ArtcTestClient artc = ArtcTestClient.connect(loop, ArtcTestClient.Options.forTests(), "127.0.0.1",
                     node.httpPort(), "live", "cam1")) {
            String clientId = receiver.await(r -> r.path().equals("/play") && "artc".equals(r.field("protocol")),
                    Duration.ofSeconds(5)).field("client_id");
            HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(http() + artc.location())).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deleted.statusCode(), deleted.body());
            HookReceiver.Received stop = receiver.await(r -> r.path().equals("/stop") && r.status() == 200
                    && clientId.equals(r.field("client_id")), Duration.ofSeconds(10));
            assertEquals("artc", stop.field("protocol"));
        }
    }

    @Test
    void stopIsRetriedAfterA500AndDeliveredOnce() throws Exception {
        String clientId;
        try (FlvViewer viewer = FlvViewer.open(http() + "/live/cam1.flv?token=viewer-1")) {
            assertEquals(200, viewer.status());
            viewer.awaitTags(20, Duration.ofSeconds(10));
            clientId = receiver.await(r -> r.path().equals("/play") && "viewer-1".equals(
                    r.json().path("query").path("token").asText()), Duration.ofSeconds(5)).field("client_id");
        }
        HookReceiver.Received delivered = receiver.await(r -> r.path().equals("/stop") && r.status() == 200
                && clientId.equals(r.field("client_id")), Duration.ofSeconds(10));
        assertEquals("http-flv", delivered.field("protocol"));
        Thread.sleep(1500);
        List<Integer> attempts = receiver.received(r -> r.path().equals("/stop")
                && clientId.equals(r.field("client_id"))).stream().map(HookReceiver.Received::status).toList();
        assertEquals(List.of(500, 200), attempts, receiver.describe());

        try (RtmpPlayer player = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "cam1?token=viewer-2")) {
            player.awaitVideoFrames(10, Duration.ofSeconds(10));
        }
        receiver.await(r -> r.path().equals("/stop") && r.status() == 200 && "rtmp".equals(r.field("protocol"))
                && "viewer-2".equals(r.json().path("query").path("token").asText()), Duration.ofSeconds(10));
    }

    @Test
    void aDeadHookFollowsTheFailPolicyWithinTheTimeoutAndDelaysNobodyElse() throws Exception {
        try (FlvViewer watcher = FlvViewer.open(http() + "/live/cam1.flv?token=watcher")) {
            assertEquals(200, watcher.status());
            watcher.awaitTags(30, Duration.ofSeconds(10));
            long from = System.nanoTime();
            // Play fails open: each viewer is let in once the hook timed out.
            List<CompletableFuture<Long>> hanging = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                hanging.add(CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    try (FlvViewer viewer = FlvViewer.open(http() + "/live/cam1.flv?token=hang")) {
                        assertEquals(200, viewer.status());
                        return (System.nanoTime() - start) / 1_000_000;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            // Publish fails closed: refused once the hook timed out.
            long publishStart = System.nanoTime();
            try (FfmpegPublisher hung = FfmpegPublisher.start(rtmp() + "/live/hang1", 10, 30)) {
                assertNotEquals(0, hung.waitFor(30, TimeUnit.SECONDS), hung.log());
                assertTrue(hung.log().contains("publish webhook unavailable"), hung.log());
            }
            long publishMillis = (System.nanoTime() - publishStart) / 1_000_000;
            for (CompletableFuture<Long> viewer : hanging) {
                long millis = viewer.get(20, TimeUnit.SECONDS);
                assertTrue(millis >= TIMEOUT.toMillis() - 100 && millis < TIMEOUT.toMillis() + 4000,
                        "a hanging play was decided after " + millis + " ms");
            }
            assertTrue(publishMillis < TIMEOUT.toMillis() + 8000, "ffmpeg was refused after " + publishMillis + " ms");
            assertFalse(node.streams().status(new StreamKey("live", "hang1")).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).publishing());
            assertEquals(5, receiver.received(r -> r.status() == 0).size(), receiver.describe());

            // Meanwhile the already-allowed viewer kept receiving at the stream's pace.
            long to = System.nanoTime();
            List<Long> frames = watcher.tags().stream().filter(FlvViewer.ReceivedTag::isVideoFrame)
                    .map(FlvViewer.ReceivedTag::arrivedNanos).filter(t -> t >= from && t <= to).toList();
            long seconds = Math.max(1, (to - from) / 1_000_000_000L);
            assertTrue(frames.size() >= 15 * seconds, frames.size() + " video frames in " + seconds + " s");
            long maxGapMillis = 0;
            for (int i = 1; i < frames.size(); i++) {
                maxGapMillis = Math.max(maxGapMillis, (frames.get(i) - frames.get(i - 1)) / 1_000_000);
            }
            assertTrue(maxGapMillis < 1000, "the watcher waited " + maxGapMillis + " ms for a frame");
        }
    }

    private static String rtmp() {
        return "rtmp://127.0.0.1:" + node.rtmpPort();
    }

    private static String http() {
        return "http://127.0.0.1:" + node.httpPort();
    }
}
