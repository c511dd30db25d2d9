package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.Programs;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.fmp4.Mp4Box;
import io.liveshard.protocol.fmp4.Mp4BoxReader;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * Low-Latency HLS from a real ffmpeg publish: the playlist's LL tags, blocking playlist reload that answers as soon
 * as the asked part exists, preload-hinted parts held until made, fMP4 that ffprobe and ffmpeg decode cleanly, and
 * refusals for hostile query values.
 */
class LowLatencyHlsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern PRELOAD_HINT =
            Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"ll/(\\d+)\\.(\\d+)\\.m4s\"");
    private static LiveShardNode node;
    private static FfmpegPublisher publisher;
    private static FfmpegPublisher withBFrames;

    @BeforeAll
    static void publish() throws Exception {
        node = TestNode.start(Map.of());
        publisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/llh", 40, 30);
        withBFrames = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/llb", 40,
                List.of("-preset", "veryfast", "-bf", "3", "-profile:v", "high", "-g", "30"));
        StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "llh"));
        StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "llb"));
    }

    @AfterAll
    static void stop() throws Exception {
        publisher.close();
        withBFrames.close();
        node.close();
    }

    /**
     * ffmpeg ends its stream with an AVC end-of-sequence tag (no picture): the last segment used to carry it as a
     * video sample of 0 bytes, and ffmpeg refused that segment ("error reading header"), so an LL-HLS reader stopped
     * at every publisher's end or reconnect.
     */
    @Test
    void theLastSegmentOfAnEndedStreamDecodes() throws Exception {
        StreamKey key = new StreamKey("live", "llend");
        try (FfmpegPublisher ending = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/llend",
                5, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            assertEquals(200, get("/live/llend/ll.m3u8").statusCode());
            assertEquals(0, ending.waitFor(30, TimeUnit.SECONDS), ending.log());
            String playlist = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && !playlist.contains("#EXT-X-ENDLIST")) {
                Thread.sleep(200);
                playlist = get("/live/llend/ll.m3u8").body();
            }
            assertTrue(playlist.contains("#EXT-X-ENDLIST"), playlist);
            Matcher segments = Pattern.compile("(?m)^(ll/\\d+\\.m4s)$").matcher(playlist);
            String last = null;
            while (segments.find()) {
                last = segments.group(1);
            }
            assertTrue(last != null, playlist);
            Path file = Files.createTempFile("llend", ".mp4");
            try {
                Files.write(file, getBytes("/live/llend/ll/init0.mp4").body());
                Files.write(file, getBytes("/live/llend/" + last).body(),
                        StandardOpenOption.APPEND);
                Process decode = new ProcessBuilder(Programs.ffmpeg(), "-hide_banner", "-nostdin", "-v", "error",
                        "-i", file.toString(), "-f", "null", "-").redirectErrorStream(true).start();
                String errors = new String(decode.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertTrue(decode.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, decode.exitValue(), last + ": " + errors);
                assertEquals("", errors, last + " of\n" + playlist);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void playlistCarriesTheLowLatencyTags() throws Exception {
        String playlist = get("/live/llh/ll.m3u8").body();
        for (String tag : List.of("#EXT-X-VERSION:9", "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600",
                "#EXT-X-PART-INF:PART-TARGET=0.200", "#EXT-X-MAP:URI=\"ll/init0.mp4\"", "#EXT-X-PART:DURATION=",
                ",INDEPENDENT=YES", "#EXT-X-PRELOAD-HINT:TYPE=PART")) {
            assertTrue(playlist.contains(tag), tag + " missing from\n" + playlist);
        }
        Matcher extinf = Pattern.compile("#EXTINF:([0-9.]+),").matcher(playlist);
        while (extinf.find()) {
            double seconds = Double.parseDouble(extinf.group(1));
            assertTrue(seconds >= 0.9 && seconds <= 1.1, "1 s segments with a keyframe every second: " + seconds);
        }
        Matcher part = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),").matcher(playlist);
        while (part.find()) {
            assertTrue(Double.parseDouble(part.group(1)) <= 0.2, "parts within PART-TARGET: " + part.group(1));
        }
        HttpResponse<byte[]> init = getBytes("/live/llh/ll/init0.mp4");
        assertEquals(200, init.statusCode());
        List<String> top = Mp4BoxReader.read(init.body()).stream().map(Mp4Box::type).toList();
        assertEquals(List.of("ftyp", "moov"), top);
    }

    @Test
    void blockingReloadReturnsAsSoonAsTheAskedPartExists() throws Exception {
        Matcher hint = PRELOAD_HINT.matcher(get("/live/llh/ll.m3u8").body());
        assertTrue(hint.find());
        long msn = Long.parseLong(hint.group(1));
        int part = Integer.parseInt(hint.group(2));
        long started = System.nanoTime();
        HttpResponse<String> blocked = get("/live/llh/ll.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part);
        Duration held = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(200, blocked.statusCode(), blocked.body());
        boolean listed = blocked.body().contains("ll/" + msn + "." + part + ".m4s")
                || blocked.body().contains("ll/" + msn + ".m4s\n");
        assertTrue(listed, "the answer lists the asked part:\n" + blocked.body());
        assertTrue(held.toMillis() < 1500, "held " + held.toMillis() + " ms for a 200 ms part");
    }

    @Test
    void thePreloadHintedPartIsHeldUntilMade() throws Exception {
        // A hinted part is not made when its segment ends at a keyframe first: the server says so (404) at once,
        // and the next hint is the next segment's first part. Two such ends in a row cannot happen in 1 s segments.
        HttpResponse<byte[]> part = null;
        for (int attempt = 0; attempt < 2 && (part == null || part.statusCode() == 404); attempt++) {
            Matcher hint = PRELOAD_HINT.matcher(get("/live/llh/ll.m3u8").body());
            assertTrue(hint.find());
            long asked = System.nanoTime();
            part = getBytes("/live/llh/ll/" + hint.group(1) + "." + hint.group(2) + ".m4s");
            assertTrue(System.nanoTime() - asked < 1_500_000_000L, "answered within a part or a segment's end");
        }
        assertEquals(200, part.statusCode());
        List<String> top = Mp4BoxReader.read(part.body()).stream().map(Mp4Box::type).toList();
        assertEquals(List.of("moof", "mdat"), top);
    }

    @Test
    void partsSentAtTheLiveEdgeShowInTheServerLatencyHistogram() throws Exception {
        String labels = "app=\"live\",protocol=\"ll-hls\",stream=\"llh\"";
        double before = latencySample(labels, "_count");
        double withinHalfSecondBefore = latencySample(labels, "_bucket", ",le=\"0.5\"");
        for (int i = 0; i < 3; i++) {
            Matcher hint = PRELOAD_HINT.matcher(get("/live/llh/ll.m3u8").body());
            assertTrue(hint.find());
            assertEquals(200, getBytes("/live/llh/ll/" + hint.group(1) + "." + hint.group(2) + ".m4s").statusCode());
        }
        // A hinted part is sent the moment it is made: its newest frame arrived less than a part (200 ms) ago.
        assertTrue(latencySample(labels, "_count") - before >= 3);
        assertTrue(latencySample(labels, "_bucket", ",le=\"0.5\"") - withinHalfSecondBefore >= 3);
    }

    /** One series of the ll-hls server-latency histogram of this stream, 0 before its first observation. */
    private static double latencySample(String labels, String suffix, String... extraLabels) throws Exception {
        String series = "liveshard_server_latency_seconds" + suffix + "{" + labels + String.join("", extraLabels)
                + "} ";
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(series)) {
                return Double.parseDouble(line.substring(series.length()).trim());
            }
        }
        return 0;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void ffprobeAndFfmpegReadTheFmp4Segments(String stream) throws Exception {
        String url = "http://127.0.0.1:" + node.httpPort() + "/live/" + stream + "/ll.m3u8";
        Ffprobe.Result result = Ffprobe.probe(url, 2);
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("h264", result.stream("video").get("codec_name"), result.output());
        assertEquals("640", result.stream("video").get("width"), result.output());
        assertEquals("aac", result.stream("audio").get("codec_name"), result.output());
        Process ffmpeg = new ProcessBuilder(Programs.ffmpeg(), "-hide_banner", "-nostdin", "-v", "error",
                "-i", url, "-t", "3", "-f", "null", "-").redirectErrorStream(true).start();
        String errors = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS));
        assertEquals("", errors);
    }

    @ParameterizedTest(name = "GET {0} -> {1}")
    @MethodSource("badRequests")
    void badRequestsGetAClearStatus(String path, int status) throws Exception {
        assertEquals(200, get("/live/llh/ll.m3u8").statusCode());
        HttpResponse<String> response = get(path);
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().length() > 1, "a refusal says why");
    }

    static Stream<String> streams() {
        return Stream.of("llh", "llb");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("/live/llh/ll.m3u8?_HLS_msn=-1", 400),
                Arguments.of("/live/llh/ll.m3u8?_HLS_msn=abc", 400),
                Arguments.of("/live/llh/ll.m3u8?_HLS_msn=99999999999999999999999", 400),
                Arguments.of("/live/llh/ll.m3u8?_HLS_msn=999999999", 400),
                Arguments.of("/live/llh/ll.m3u8?_HLS_part=1", 400),
                Arguments.of("/live/llh/ll.m3u8?_HLS_msn=1&_HLS_part=x", 400),
                Arguments.of("/live/llh/ll/init99.mp4", 404),
                Arguments.of("/live/llh/ll/99999999.0.m4s", 404),
                Arguments.of("/live/llh/ll/0.999999.m4s", 404),
                Arguments.of("/live/llh/ll/evil.txt", 400),
                Arguments.of("/live/llh/ll/%2E%2E", 404),
                Arguments.of("/live/nobody/ll.m3u8", 404),
                Arguments.of("/live/nobody/ll/init0.mp4", 404));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
