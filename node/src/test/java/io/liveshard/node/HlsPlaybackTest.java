package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.Programs;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
 * Classic HLS made on demand from RTMP streams published by the real ffmpeg (with and without B-frames), checked
 * with the real ffprobe and ffmpeg: right codecs and size, clean decoding, a well-formed sliding playlist, the end
 * of the stream, and clear refusals for bad requests.
 */
class HlsPlaybackTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LiveShardNode node;
    private static FfmpegPublisher plain;
    private static FfmpegPublisher withBFrames;

    @BeforeAll
    static void publish() throws Exception {
        node = TestNode.start(Map.of("liveshard.hls.target-duration", "1s",
                "liveshard.stream.publisher-grace", "1s"));
        plain = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/hls", 20, 30);
        withBFrames = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/hlsb", 12,
                List.of("-preset", "veryfast", "-bf", "3", "-profile:v", "high", "-g", "30"));
        StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "hls"));
        StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "hlsb"));
    }

    @AfterAll
    static void stop() throws Exception {
        plain.close();
        withBFrames.close();
        node.close();
    }

    @Test
    void ffprobeAndFfmpegReadTheLiveStreamCleanly() throws Exception {
        for (String stream : List.of("hls", "hlsb")) {
            String url = base() + "/live/" + stream + ".m3u8";
            Ffprobe.Result result = Ffprobe.probe(url, 2);
            String context = stream + ": " + result.output();
            assertEquals(0, result.exitCode(), context);
            assertEquals("h264", result.stream("video").get("codec_name"), context);
            assertEquals("640", result.stream("video").get("width"), context);
            assertEquals("360", result.stream("video").get("height"), context);
            assertEquals("aac", result.stream("audio").get("codec_name"), context);
            assertTrue(Integer.parseInt(result.stream("video").get("nb_read_frames")) >= 30, context);
            String decodeErrors = decodeErrors(url);
            assertEquals("", decodeErrors, stream + " decoded with errors");
        }
    }

    @Test
    void playlistSlidesAndSegmentsAreMpegTs() throws Exception {
        HttpResponse<String> first = get("/live/hls.m3u8");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("application/vnd.apple.mpegurl", first.headers().firstValue("Content-Type").orElse(""));
        String playlist = first.body();
        assertTrue(playlist.startsWith("#EXTM3U\n"), playlist);
        assertTrue(playlist.contains("#EXT-X-TARGETDURATION:"), playlist);
        assertTrue(playlist.contains("#EXT-X-PROGRAM-DATE-TIME:"), playlist);
        Matcher extinf = Pattern.compile("#EXTINF:([0-9.]+),").matcher(playlist);
        while (extinf.find()) {
            double seconds = Double.parseDouble(extinf.group(1));
            assertTrue(seconds >= 0.9 && seconds <= 1.1, "1 s segments with a keyframe every second: " + seconds);
        }
        Matcher segment = Pattern.compile("(?m)^hls/(\\d+)\\.ts$").matcher(playlist);
        assertTrue(segment.find(), playlist);
        HttpResponse<byte[]> bytes = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/live/hls/"
                + segment.group(1) + ".ts")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, bytes.statusCode());
        assertEquals("video/mp2t", bytes.headers().firstValue("Content-Type").orElse(""));
        assertTrue(bytes.body().length > 188 && bytes.body().length % 188 == 0, "TS packets of 188 bytes");
        for (int i = 0; i < bytes.body().length; i += 188) {
            assertEquals(0x47, bytes.body()[i] & 0xFF, "sync byte of packet " + i / 188);
        }
        long firstSequence = mediaSequence(playlist);
        long laterSequence = firstSequence;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (laterSequence == firstSequence && System.nanoTime() < deadline) {
            Thread.sleep(250);
            laterSequence = mediaSequence(get("/live/hls.m3u8").body());
        }
        assertTrue(laterSequence > firstSequence, "the window slides: " + firstSequence + " -> " + laterSequence);
    }

    @Test
    void theEndOfTheStreamEndsThePlaylist() throws Exception {
        assertEquals(200, get("/live/hlsb.m3u8").statusCode());
        assertEquals(0, withBFrames.waitFor(30, TimeUnit.SECONDS), withBFrames.log());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String playlist = "";
        while (System.nanoTime() < deadline && !playlist.contains("#EXT-X-ENDLIST")) {
            Thread.sleep(200);
            playlist = get("/live/hlsb.m3u8").body();
        }
        assertTrue(playlist.contains("#EXT-X-ENDLIST"), playlist);
    }

    @Test
    void hlsClientsAreCountedAsViewersInTheApi() throws Exception {
        for (String agent : List.of("player-one", "player-two", "player-two")) {
            HttpResponse<String> playlist = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/live/hls.m3u8"))
                    .header("User-Agent", agent).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, playlist.statusCode());
        }
        try (FlvViewer flv = FlvViewer.open(base() + "/live/hls.flv")) {
            flv.awaitTags(5, Duration.ofSeconds(5));
            HttpResponse<String> api = get("/api/v1/streams/live/hls");
            assertEquals(200, api.statusCode(), api.body());
            assertEquals("application/json", api.headers().firstValue("Content-Type").orElse(""));
            String json = api.body();
            assertTrue(json.contains("\"publishing\":true"), json);
            assertTrue(json.contains("\"videoCodec\":\"H264\""), json);
            assertTrue(json.contains("\"http-flv\":1"), json);
            // Two user agents from one address are two clients (the test's own client may add a third).
            Matcher hls = Pattern.compile("\"hls\":(\\d+)").matcher(json);
            assertTrue(hls.find(), json);
            assertTrue(Integer.parseInt(hls.group(1)) >= 2, json);
        }
        assertEquals(404, get("/api/v1/streams/live/nobody").statusCode());
        assertEquals(400, get("/api/v1/streams/live/cam%01").statusCode());
    }

    @Test
    void theNodeTellsItsClock() throws Exception {
        long before = System.currentTimeMillis();
        HttpResponse<String> time = get("/api/v1/time");
        long after = System.currentTimeMillis();
        assertEquals(200, time.statusCode());
        assertEquals("no-store", time.headers().firstValue("Cache-Control").orElse(""));
        Matcher millis = Pattern.compile("\"serverTimeMillis\":(\\d+)").matcher(time.body());
        assertTrue(millis.find(), time.body());
        long server = Long.parseLong(millis.group(1));
        assertTrue(server >= before && server <= after, "same machine, same clock: " + server);
    }

    @ParameterizedTest(name = "GET {0} -> {1}")
    @MethodSource("badRequests")
    void badRequestsGetAClearStatus(String path, int status) throws Exception {
        assertEquals(200, get("/live/hls.m3u8").statusCode());
        HttpResponse<String> response = get(path);
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().length() > 1, "a refusal says why");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("/live/hls/99999999999.ts", 404),
                Arguments.of("/live/hls/0000000000000000001234.ts", 400),
                Arguments.of("/live/hls/-1.ts", 400),
                Arguments.of("/live/hls/abc.ts", 400),
                Arguments.of("/live/hls/%2E%2E.ts", 400),
                Arguments.of("/live/%2E%2E.m3u8", 400),
                Arguments.of("/live/cam%0A1.m3u8", 400),
                Arguments.of("/live/nobody.m3u8", 404),
                Arguments.of("/live/nobody/1.ts", 404));
    }

    private static long mediaSequence(String playlist) {
        Matcher m = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
        assertTrue(m.find(), playlist);
        return Long.parseLong(m.group(1));
    }

    private static String decodeErrors(String url) throws Exception {
        Process process = new ProcessBuilder(Programs.ffmpeg(), "-hide_banner", "-nostdin", "-v", "error",
                "-i", url, "-t", "3", "-f", "null", "-").redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new String(output, StandardCharsets.UTF_8).trim();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String base() {
        return "http://127.0.0.1:" + node.httpPort();
    }
}
