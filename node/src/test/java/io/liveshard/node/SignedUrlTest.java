package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.auth.UrlSigner;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signed URLs (liveshard.auth) with real clients: ffmpeg publishing and ffprobe playing over RTMP, HTTP-FLV, HLS
 * and LL-HLS with valid keys (primary and secondary, in the stream name or in the tcUrl), and clear refusals for
 * missing, malformed, expired and wrongly signed keys on every protocol, WHEP offers included.
 */
class SignedUrlTest {

    private static final String KEY = "primary-secret";
    private static final String OLD_KEY = "old-secret";
    private static final StreamKey CAM1 = new StreamKey("live", "cam1");
    private static final StreamKey CAM2 = new StreamKey("live", "cam2");
    private static final Path CHROMIUM_OFFER =
            Path.of("../protocol/src/test/resources/sdp/chromium-whep-recvonly-offer.sdp");
    private static final Pattern MEDIA_URI = Pattern.compile("(?m)^([^#\\s][^\\s]*)$");
    private static final Pattern PART_URI = Pattern.compile("#EXT-X-PART:[^\\n]*URI=\"([^\"]+)\"");
    private static final Pattern MSN = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LiveShardNode node;
    private static FfmpegPublisher cam1;
    private static FfmpegPublisher cam2;

    @BeforeAll
    static void publish() throws Exception {
        node = TestNode.start(Map.of(
                "liveshard.auth.publish.enabled", "on",
                "liveshard.auth.play.enabled", "on",
                "liveshard.auth.key", KEY,
                "liveshard.auth.secondary-key", OLD_KEY,
                "liveshard.hls.target-duration", "1s"));
        // Signed in the stream name's query, with the primary key.
        cam1 = FfmpegPublisher.start(rtmp() + "/live/cam1?auth_key=" + valid(KEY, CAM1), 90, 30);
        // Signed in the app's query (tcUrl), OBS style, with the secondary key.
        cam2 = FfmpegPublisher.start(rtmp() + "/live?auth_key=" + valid(OLD_KEY, CAM2) + "/cam2", 90, 30);
        StreamProbe.awaitLiveWithGop(node, CAM1);
        StreamProbe.awaitLiveWithGop(node, CAM2);
    }

    @AfterAll
    static void stop() throws Exception {
        cam1.close();
        cam2.close();
        node.close();
    }

    /** The four ways a key can be wrong, each with the one-line reason the client is told. */
    static Stream<Arguments> badKeys() {
        long past = Instant.now().getEpochSecond() - 60;
        String expired = UrlSigner.sign(KEY, CAM1, past, "r4nd", "0").text();
        String wrongHash = UrlSigner.sign("guessed-key", CAM1, Instant.now().getEpochSecond() + 600, "r4nd", "0")
                .text();
        return Stream.of(
                Arguments.of("missing", "", "no auth_key"),
                Arguments.of("malformed", "?auth_key=12345-nonsense", "malformed auth_key"),
                Arguments.of("expired", "?auth_key=" + expired, "auth_key expired"),
                Arguments.of("wrong hash", "?auth_key=" + wrongHash, "auth_key does not match"));
    }

    @ParameterizedTest(name = "rtmp publish, {0} key")
    @MethodSource("badKeys")
    void ffmpegPublishWithABadKeyIsRefusedWithTheReason(String name, String query, String reason) throws Exception {
        try (FfmpegPublisher refused = FfmpegPublisher.start(rtmp() + "/live/cam1x" + query, 10,
                30)) {
            assertNotEquals(0, refused.waitFor(30, TimeUnit.SECONDS), refused.log());
            assertTrue(refused.log().contains(reason), "ffmpeg should report '" + reason + "':\n" + refused.log());
        }
        assertFalse(node.streams().status(new StreamKey("live", "cam1x")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).publishing());
    }

    @Test
    void rtmpPlayWithAValidKeyInTheStreamNameOrTheTcUrl() throws Exception {
        Ffprobe.Result probed = Ffprobe.probe(rtmp() + "/live/cam1?auth_key=" + valid(KEY, CAM1), 2);
        assertEquals(0, probed.exitCode(), probed.output());
        assertEquals("h264", probed.stream("video").get("codec_name"), probed.output());
        assertTrue(Integer.parseInt(probed.stream("video").get("nb_read_frames")) >= 30, probed.output());
        Ffprobe.Result viaApp = Ffprobe.probe(rtmp() + "/live?auth_key=" + valid(OLD_KEY, CAM2) + "/cam2", 1);
        assertEquals(0, viaApp.exitCode(), viaApp.output());
        assertEquals("aac", viaApp.stream("audio").get("codec_name"), viaApp.output());
        try (RtmpPlayer player = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live?auth_key=" + valid(KEY, CAM1),
                "cam1")) {
            player.awaitVideoFrames(10, Duration.ofSeconds(10));
        }
    }

    @ParameterizedTest(name = "rtmp play, {0} key")
    @MethodSource("badKeys")
    void rtmpPlayWithABadKeyIsRefusedWithTheReason(String name, String query, String reason) throws Exception {
        try (RtmpPlayer player = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "cam1" + query)) {
            player.awaitStatus("NetStream.Play.StreamNotFound", Duration.ofSeconds(10));
            player.awaitEnd(Duration.ofSeconds(10));
            assertEquals(0, player.videoFrames());
        }
        Ffprobe.Result probed = Ffprobe.probe(rtmp() + "/live/cam1" + query, 1);
        assertNotEquals(0, probed.exitCode(), probed.output());
        assertTrue(probed.output().contains(reason), probed.output());
    }

    @Test
    void httpFlvWithAValidKeyPlays() throws Exception {
        Ffprobe.Result probed = Ffprobe.probe(http() + "/live/cam2.flv?auth_key=" + valid(OLD_KEY, CAM2), 2);
        assertEquals(0, probed.exitCode(), probed.output());
        assertEquals("h264", probed.stream("video").get("codec_name"), probed.output());
        assertTrue(Integer.parseInt(probed.stream("video").get("nb_read_frames")) >= 30, probed.output());
    }

    @Test
    void hlsWithAValidKeyPlaysEndToEndAndSegmentsNeedTheKey() throws Exception {
        String authKey = valid(KEY, CAM1);
        Ffprobe.Result probed = Ffprobe.probe(http() + "/live/cam1.m3u8?auth_key=" + authKey, 2);
        assertEquals(0, probed.exitCode(), probed.output());
        assertEquals("h264", probed.stream("video").get("codec_name"), probed.output());
        assertTrue(Integer.parseInt(probed.stream("video").get("nb_read_frames")) >= 30, probed.output());

        String playlist = get("/live/cam1.m3u8?auth_key=" + authKey).body();
        Matcher segment = MEDIA_URI.matcher(playlist);
        assertTrue(segment.find(), playlist);
        String uri = segment.group(1);
        assertTrue(uri.endsWith(".ts?auth_key=" + authKey), uri);
        assertEquals(200, get("/live/" + uri).statusCode());
        String bare = uri.substring(0, uri.indexOf('?'));
        HttpResponse<String> refused = get("/live/" + bare);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("no auth_key: this stream needs a signed URL\n", refused.body());
        assertEquals(403, get("/live/" + bare + "?auth_key=" + valid(KEY, CAM2)).statusCode());
    }

    @Test
    void llHlsWithAValidKeyCarriesItToInitSegmentsPartsAndBlockingReloads() throws Exception {
        String authKey = valid(OLD_KEY, CAM2);
        Ffprobe.Result probed = Ffprobe.probe(http() + "/live/cam2/ll.m3u8?auth_key=" + authKey, 2);
        assertEquals(0, probed.exitCode(), probed.output());
        assertEquals("h264", probed.stream("video").get("codec_name"), probed.output());

        String playlist = get("/live/cam2/ll.m3u8?auth_key=" + authKey).body();
        String query = "?auth_key=" + authKey;
        assertTrue(playlist.contains("#EXT-X-MAP:URI=\"ll/init"), playlist);
        for (String line : playlist.split("\n")) {
            if (line.contains("URI=\"") || !line.startsWith("#") && !line.isBlank()) {
                assertTrue(line.contains(query + (line.startsWith("#") ? "\"" : "")), line);
            }
        }
        Matcher part = PART_URI.matcher(playlist);
        assertTrue(part.find(), playlist);
        assertEquals(200, get("/live/cam2/" + part.group(1)).statusCode());
        String bare = part.group(1).substring(0, part.group(1).indexOf('?'));
        assertEquals(403, get("/live/cam2/" + bare).statusCode());

        Matcher msn = MSN.matcher(playlist);
        assertTrue(msn.find(), playlist);
        long next = Long.parseLong(msn.group(1)) + 1;
        HttpResponse<String> blocked = get("/live/cam2/ll.m3u8?_HLS_msn=" + next + "&_HLS_part=0&auth_key=" + authKey);
        assertEquals(200, blocked.statusCode(), blocked.body());
        assertTrue(blocked.body().contains(query), blocked.body());
        assertEquals(403, get("/live/cam2/ll.m3u8?_HLS_msn=" + next + "&_HLS_part=0").statusCode());
    }

    @ParameterizedTest(name = "{0} key refused on http-flv, hls, ll-hls and whep")
    @MethodSource("badKeys")
    void httpPlaybackWithABadKeyIs403WithTheReason(String name, String query, String reason) throws Exception {
        for (String path : new String[] {"/live/cam1.flv", "/live/cam1.m3u8", "/live/cam1/ll.m3u8",
                "/live/cam1/0.ts", "/live/cam1/ll/init0.mp4"}) {
            HttpResponse<String> response = get(path + query);
            assertEquals(403, response.statusCode(), path + ": " + response.body());
            assertTrue(response.body().startsWith(reason), path + ": " + response.body());
            assertEquals(1, response.body().split("\n").length, response.body());
            assertEquals("text/plain; charset=UTF-8", response.headers().firstValue("Content-Type").orElse(""));
        }
        HttpResponse<String> whep = postOffer("/live/cam1/whep" + query);
        assertEquals(403, whep.statusCode(), whep.body());
        assertTrue(whep.body().startsWith(reason), whep.body());
    }

    @Test
    void aSignedWhepOfferGetsPastTheCheck() throws Exception {
        HttpResponse<String> answer = postOffer("/live/cam1/whep?auth_key=" + valid(KEY, CAM1));
        assertEquals(201, answer.statusCode(), answer.body());
        String location = answer.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(http() + location)).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, deleted.statusCode(), deleted.body());
    }

    @Test
    void refusalsAreCountedWithFixedReasons() throws Exception {
        get("/live/cam1.flv");
        get("/live/cam1.m3u8?auth_key=1-a-0-" + "0".repeat(32));
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("liveshard_refusals_total{protocol=\"http-flv\",reason=\"auth-missing\"}"),
                metrics);
        assertTrue(metrics.contains("liveshard_refusals_total{protocol=\"hls\",reason=\"auth-expired\"}"), metrics);
    }

    private static String valid(String key, StreamKey stream) {
        return UrlSigner.sign(key, stream, Instant.now().getEpochSecond() + 600, "r4nd", "0").text();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(http() + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postOffer(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(http() + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(Files.readString(CHROMIUM_OFFER))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String rtmp() {
        return "rtmp://127.0.0.1:" + node.rtmpPort();
    }

    private static String http() {
        return "http://127.0.0.1:" + node.httpPort();
    }
}
