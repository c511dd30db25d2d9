package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.ChromiumBrowser;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.node.testkit.WebPlayerPage;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web player (/player/, built from ops-console) in the real Chromium against a stream the real ffmpeg publishes:
 * artc with measured end-to-end latency, and the fallbacks to HTTP-FLV and LL-HLS when the node refuses WHEP
 * (artc.max-sessions = 0 answers every offer 503) and HTTP-FLV (http-flv.enabled = off answers 404).
 */
class WebPlayerBrowserTest {

    private static final Path SCREENSHOTS = WebPlayerPage.screenshotDir(WebPlayerBrowserTest.class);
    /** Reports every second so the test sees them quickly. */
    private static final String FAST_REPORTS = "reportIntervalMs=1000";

    @Test
    void playsAnArtcUrlAndMeasuresEndToEndLatencyUnderOneSecond() throws Exception {
        StreamKey key = new StreamKey("live", "player");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/player", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "artc://127.0.0.1:" + node.httpPort() + "/live/player", FAST_REPORTS);
            page.awaitPlaying("artc", 30, Duration.ofSeconds(20));
            page.awaitLatencySamples(60, Duration.ofSeconds(10));
            double latency = page.latencyMillis();
            assertTrue(latency > 0 && latency < 1000, "artc end-to-end latency " + latency + " ms; " + page.stats());
            assertEquals("script-transform", page.stat("frameReader"), "the standard RTCRtpScriptTransform reads "
                    + "the stamps where the browser has it");
            assertEquals("[{\"type\":\"protocol\",\"protocol\":\"artc\",\"attempt\":0},", page.events()
                    .substring(0, page.events().indexOf("{\"type\":\"firstframe\"")), "no fallback: " + page.events());
            Thread.sleep(1500);
            page.screenshot(SCREENSHOTS.resolve("player-artc.png"));
            // The overlay a viewer sees: protocol, measured latency, bitrate, stalls.
            browser.await("/^protocol  artc\\nlatency   \\d+ ms\\nbitrate   \\d+ kbit\\/s\\nstalls    \\d+ \\(\\d+\\.\\d s\\)$/"
                    + ".test(document.querySelector('.liveshard-overlay').textContent)", Duration.ofSeconds(3),
                    "the overlay showing protocol, latency, bitrate and stalls");

            String json = streamJson(node, key);
            assertTrue(json.matches("(?s).*\"qoe\":\\{\"artc\":\\{\"players\":1,.*\"e2eLatencyP50Ms\":\\d.*"),
                    "the player's QoE reports reach the stream API: " + json);

            // Leaving the page ends the session at once, not at the node's consent timeout (30 s).
            browser.navigate("about:blank");
            StreamProbe.awaitStatus(node, key, status -> status.viewers().getOrDefault("artc", 0) == 0,
                    Duration.ofSeconds(5), "without artc viewers once the page was left");
        }
    }

    /** What Chromium's receivers held the media for, on average over the session. */
    private static final String JITTER_BUFFERS = """
            (async () => {
              const out = [];
              (await liveShardPlayer.session.pc.getStats()).forEach((r) => {
                if (r.type === 'inbound-rtp') {
                  const held = Math.round(1000 * r.jitterBufferDelay / r.jitterBufferEmittedCount);
                  out.push(`${r.kind} jitter buffer ${held} ms`
                      + (r.kind === 'video' ? `, keyframes ${r.keyFramesDecoded}` : ''));
                }
                if (r.type === 'media-playout') {
                  out.push(`audio output ${Math.round(1000 * r.totalPlayoutDelay / r.totalSamplesCount)} ms`);
                }
              });
              return out.join(', ');
            })()
            """;

    /**
     * A stream as the README publishes it but with an 8 s GOP (720p, x264 without a rate limit: keyframes of
     * ~100 KB), watched over artc for 32 s, four keyframes: the end-to-end latency stays low the whole time, around
     * the keyframes and after Chromium's lip sync has lined the video up with the audio (it holds the video back as
     * long as the Opus track's jitter buffer and output take, which settles within ~20 s). Audio timestamps that
     * drifted from the video's would make that hold grow without end.
     */
    @Test
    void artcLatencyStaysLowAcrossTheKeyframesOfALongGop() throws Exception {
        StreamKey key = new StreamKey("live", "longgop");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/longgop", 90,
                     List.of("-preset", "veryfast", "-tune", "zerolatency", "-s", "1280x720", "-g", "240"));
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "artc://127.0.0.1:" + node.httpPort() + "/live/longgop", FAST_REPORTS);
            page.awaitPlaying("artc", 30, Duration.ofSeconds(20));
            page.logLatency();
            Thread.sleep(32_000);
            List<long[]> samples = page.latencyLog();
            String breakdown = browser.evaluate(JITTER_BUFFERS);
            StringBuilder windows = new StringBuilder();
            long start = samples.isEmpty() ? 0 : samples.get(0)[0];
            for (int window = 0; window < 8; window++) {
                long from = start + window * 4000L;
                List<Long> inWindow = samples.stream().filter(s -> s[0] >= from && s[0] < from + 4000)
                        .map(s -> s[1]).sorted().toList();
                windows.append(inWindow.isEmpty() ? "-" : inWindow.get(inWindow.size() / 2)).append(' ');
                assertTrue(inWindow.size() >= 60, "latency samples in 4 s window " + window + ": " + inWindow.size()
                        + " (medians so far " + windows + ")");
                assertTrue(inWindow.get(inWindow.size() / 2) < 500, "end-to-end latency medians per 4 s (ms): "
                        + windows + "; " + breakdown);
            }
            System.out.println("WebPlayerBrowserTest artc 8 s GOP: end-to-end latency medians per 4 s (ms): "
                    + windows + "; over the whole run " + breakdown + "; stalls " + page.stat("stalls"));
        }
    }

    /**
     * A page of another site (its own origin and port) embeds the player as one ES module from the node, and gives
     * it an artc URL without a port: the URL means the node's HTTP port, not the page's, and the player plays.
     */
    @Test
    void anotherSitesPageEmbedsThePlayerModule() throws Exception {
        StreamKey key = new StreamKey("live", "embedded");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/embedded", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            byte[] page = """
                    <!doctype html><html><body><video id="video" muted autoplay playsinline></video>
                    <script type="module">
                    import { LiveShardPlayer, resolveSource } from 'http://127.0.0.1:%d/player/liveshard-player.js';
                    window.resolvedWhep = resolveSource('artc://127.0.0.1/live/embedded').whepUrl;
                    window.liveShardEvents = [];
                    const player = new LiveShardPlayer(document.getElementById('video'), {reportIntervalMs: 1000});
                    for (const type of ['protocol', 'firstframe', 'fallback', 'retry', 'failed']) {
                      player.addEventListener(type, (event) => window.liveShardEvents.push({type, ...event.detail}));
                    }
                    window.liveShardPlayer = player;
                    player.play('artc://127.0.0.1/live/embedded');
                    </script></body></html>
                    """.formatted(node.httpPort()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            com.sun.net.httpserver.HttpServer site = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            site.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            site.start();
            try {
                browser.navigate("http://127.0.0.1:" + site.getAddress().getPort() + "/watch.html");
                WebPlayerPage player = new WebPlayerPage(browser);
                player.awaitPlaying("artc", 30, Duration.ofSeconds(20));
                assertEquals("http://127.0.0.1:" + node.httpPort() + "/live/embedded/whep",
                        browser.evaluate("window.resolvedWhep"), "a port-less artc URL names the node's HTTP port");
                player.awaitLatencySamples(30, Duration.ofSeconds(10));
                double latency = player.latencyMillis();
                assertTrue(latency > 0 && latency < 1000, "end-to-end latency on the embedding page " + latency
                        + " ms; " + player.stats());
                assertTrue(player.events().startsWith("[{\"type\":\"protocol\",\"protocol\":\"artc\""),
                        "artc from the start, no fallback: " + player.events());
            } finally {
                site.stop(0);
            }
        }
    }

    /**
     * The browser's clock two minutes ahead of the node's (Date.now and performance.timeOrigin both moved, as a
     * wrong system clock moves them): the player's latency stays right only through the offset it measures with
     * GET /api/v1/time; without it, or with the wrong sign, it would be off by two or four minutes.
     */
    @Test
    void measuresLatencyRightWhenTheBrowserClockIsWrong() throws Exception {
        StreamKey key = new StreamKey("live", "skewed");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/skewed", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            browser.addInitScript("(() => { const skew = 120000; const wall = Date.now;"
                    + " Date.now = () => wall() + skew; const origin = performance.timeOrigin + skew;"
                    + " Object.defineProperty(performance, 'timeOrigin', { get: () => origin }); })();");
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "artc://127.0.0.1:" + node.httpPort() + "/live/skewed", FAST_REPORTS);
            assertTrue(Math.abs(Long.parseLong(browser.evaluate("String(Date.now())")) - System.currentTimeMillis()
                    - 120_000) < 5_000, "the page's clock is two minutes ahead");
            page.awaitPlaying("artc", 30, Duration.ofSeconds(20));
            page.awaitLatencySamples(30, Duration.ofSeconds(10));
            double latency = page.latencyMillis();
            assertTrue(latency > 0 && latency < 1000, "artc end-to-end latency " + latency + " ms with the clock "
                    + "two minutes ahead; " + page.stats());
        }
    }

    /** Chromium before RTCRtpScriptTransform (and any browser with only encoded streams) reads stamps on the page. */
    @Test
    void measuresArtcLatencyWithEncodedStreamsWhereTheStandardTransformIsMissing() throws Exception {
        StreamKey key = new StreamKey("live", "encodedstreams");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/encodedstreams", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            browser.addInitScript("delete window.RTCRtpScriptTransform;");
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "artc://127.0.0.1:" + node.httpPort() + "/live/encodedstreams", FAST_REPORTS);
            page.awaitPlaying("artc", 30, Duration.ofSeconds(20));
            assertEquals("encoded-streams", page.stat("frameReader"), page.stats());
            page.awaitLatencySamples(60, Duration.ofSeconds(10));
            double latency = page.latencyMillis();
            assertTrue(latency > 0 && latency < 1000, "artc end-to-end latency " + latency + " ms; " + page.stats());
        }
    }

    /**
     * An audio-only stream (a radio-style publish, ffmpeg with -vn) shows no video frame: the player counts the
     * element's time advancing instead. artc needs H.264 (WHEP answers 404), so it plays over HTTP-FLV; it used to
     * wait for a frame that never comes, fall back again and fail.
     */
    @Test
    void playsAnAudioOnlyStream() throws Exception {
        StreamKey key = new StreamKey("live", "radio");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/radio", 60, List.of("-vn"));
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitStatus(node, key, status -> status.stats().hasAudio() && !status.stats().hasVideo()
                    && status.stats().framesIn() > 50, Duration.ofSeconds(15), "live with audio only");
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "live/radio", FAST_REPORTS);
            page.awaitPlaying("http-flv", 0, Duration.ofSeconds(20));
            String events = page.events();
            assertTrue(events.contains("{\"type\":\"fallback\",\"from\":\"artc\",\"to\":\"http-flv\","
                    + "\"reason\":\"signalling\",\"message\":\"WHEP answered 404"), events);
            double before = Double.parseDouble(browser.evaluate("String(document.querySelector('video').currentTime)"));
            Thread.sleep(3000);
            double after = Double.parseDouble(browser.evaluate("String(document.querySelector('video').currentTime)"));
            assertTrue(after - before > 2, "the audio plays on: " + before + " s, then " + after + " s");
            assertEquals("playing", page.stat("state"), page.stats());
            assertEquals("http-flv", page.stat("protocol"), "no further fallback: " + page.events());
            assertTrue(page.stat("latencyNote").contains("no video"), page.stats());
        }
    }

    /**
     * The stream ends under the player and a publisher comes back later: the player says it is offline instead of
     * playing the ended LL-HLS window as if it were live (it did, 17 s behind, and then stayed on LL-HLS), and is
     * back on artc once the stream is.
     */
    @Test
    void goesOfflineWhenTheStreamEndsAndBackToArtcWhenItReturns() throws Exception {
        StreamKey key = new StreamKey("live", "comeback");
        String url = "rtmp://127.0.0.1:%d/live/comeback";
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.stream.publisher-grace", "1s"));
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            WebPlayerPage page = new WebPlayerPage(browser);
            try (FfmpegPublisher first = FfmpegPublisher.start(url.formatted(node.rtmpPort()), 8, 30)) {
                StreamProbe.awaitLiveWithGop(node, key);
                page.open(node.httpPort(), "live/comeback",
                        FAST_REPORTS + "&mediaTimeoutMs=1500&retries=1&offlineRetryMs=1000");
                page.awaitPlaying("artc", 30, Duration.ofSeconds(20));
                assertEquals(0, first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), first.log());
            }
            browser.await("liveShardPlayer.stats.state === 'offline'", Duration.ofSeconds(30),
                    "the player offline once the stream ended (events " + page.events() + ")");
            String events = page.events();
            assertTrue(events.contains("{\"type\":\"offline\",\"protocol\":\"ll-hls\""), events);
            assertTrue(!events.contains("{\"type\":\"firstframe\",\"protocol\":\"ll-hls\""),
                    "the ended stream's LL-HLS window was not played: " + events);
            String fallbacksWhenOffline = page.stat("fallbacks.length");

            try (FfmpegPublisher second = FfmpegPublisher.start(url.formatted(node.rtmpPort()), 60, 30)) {
                StreamProbe.awaitLiveWithGop(node, key);
                browser.await("liveShardPlayer.stats.state === 'playing' && liveShardPlayer.stats.protocol === 'artc'",
                        Duration.ofSeconds(20), "back on artc (events " + page.events() + ")");
                assertEquals(fallbacksWhenOffline, page.stat("fallbacks.length"),
                        "the tries while offline are not reported as fallbacks: " + page.stats());
            }
        }
    }

    /** The network loses the player's first QoE report that tells of a fallback. */
    private static final String LOSE_FIRST_QOE_REPORT = """
            (() => {
              const realFetch = window.fetch;
              let lost = false;
              window.fetch = (url, init) => {
                if (!lost && String(url).endsWith('/api/v1/qoe') && init.body.includes('"fallbacks":[{')) {
                  lost = true;
                  return Promise.reject(new TypeError('lost on the way'));
                }
                return realFetch(url, init);
              };
            })();
            """;

    @Test
    void fallsBackToHttpFlvWhenWhepIsRefused() throws Exception {
        StreamKey key = new StreamKey("live", "noartc");
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.artc.max-sessions", 0));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/noartc", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            browser.addInitScript(LOSE_FIRST_QOE_REPORT);
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "live/noartc", FAST_REPORTS);
            page.awaitPlaying("http-flv", 30, Duration.ofSeconds(20));
            String events = page.events();
            assertTrue(events.contains("{\"type\":\"fallback\",\"from\":\"artc\",\"to\":\"http-flv\","
                    + "\"reason\":\"signalling\",\"message\":\"WHEP answered 503"), events);
            page.awaitLatencySamples(30, Duration.ofSeconds(10));
            double latency = page.latencyMillis();
            assertTrue(latency > 0 && latency < 5000, "HTTP-FLV end-to-end latency " + latency + " ms; " + page.stats());
            page.screenshot(SCREENSHOTS.resolve("player-http-flv-fallback.png"));
            StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("http-flv", 0) == 1,
                    Duration.ofSeconds(5), "watched over HTTP-FLV");
            // The report that carried the fallback was lost; the next one carries it again.
            assertTrue(page.reporter().contains("\"lastFailure\":\"TypeError: lost on the way\""), page.reporter());
            assertTrue(awaitJson(node, key, "\"fallbacksByReason\":{\"signalling\":1}"),
                    "the fallback reaches the stream API: " + streamJson(node, key) + "; the player's reporter: "
                            + page.reporter());
        }
    }

    /**
     * The node announces an address nothing answers on (TEST-NET-1), as a node behind a wrong NAT mapping would: the
     * WHEP exchange succeeds but no media arrives. With a short first-frame timeout the player leaves for HTTP-FLV
     * with {@code no-media}; with a long one it waits for Chromium to declare ICE failed ({@code ice-failed}).
     */
    @Test
    void fallsBackToHttpFlvWhenNoMediaArrivesOrIceFails() throws Exception {
        StreamKey key = new StreamKey("live", "unreachable");
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.artc.candidates", List.of("192.0.2.1")));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/unreachable", 90, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "live/unreachable", FAST_REPORTS + "&firstFrameTimeoutMs=2000");
            page.awaitPlaying("http-flv", 10, Duration.ofSeconds(20));
            assertTrue(page.events().contains("\"from\":\"artc\",\"to\":\"http-flv\",\"reason\":\"no-media\","
                    + "\"message\":\"no frame within 2000 ms\""), page.events());

            page.open(node.httpPort(), "live/unreachable", FAST_REPORTS + "&firstFrameTimeoutMs=40000");
            page.awaitPlaying("http-flv", 10, Duration.ofSeconds(50));
            assertTrue(page.events().contains("\"from\":\"artc\",\"to\":\"http-flv\",\"reason\":\"ice-failed\""),
                    page.events());
            assertTrue(awaitJson(node, key, "\"fallbacksByReason\":{\"ice-failed\":1,\"no-media\":1}"),
                    "both fallbacks reach the stream API: " + streamJson(node, key));
        }
    }

    @Test
    void fallsBackToLowLatencyHlsWhenWhepAndHttpFlvAreOff() throws Exception {
        StreamKey key = new StreamKey("live", "hlsonly");
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.artc.max-sessions", 0,
                     "liveshard.http-flv.enabled", "off"));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/hlsonly", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "live/hlsonly", FAST_REPORTS + "&firstFrameTimeoutMs=15000");
            page.awaitPlaying("ll-hls", 30, Duration.ofSeconds(40));
            String events = page.events();
            assertTrue(events.contains("\"from\":\"artc\",\"to\":\"http-flv\",\"reason\":\"signalling\""), events);
            assertTrue(events.contains("\"from\":\"http-flv\",\"to\":\"ll-hls\",\"reason\":\"load-error\""), events);
            page.awaitLatencySamples(30, Duration.ofSeconds(15));
            double latency = page.latencyMillis();
            assertTrue(latency > 0 && latency < 10_000, "LL-HLS end-to-end latency " + latency + " ms; "
                    + page.stats());
            page.screenshot(SCREENSHOTS.resolve("player-ll-hls-fallback.png"));
        }
    }

    /** Classic HLS (MPEG-TS segments): the stamps survive the TS muxer, and hls.js hands them to the player. */
    @Test
    void playsClassicHlsWithMeasuredLatency() throws Exception {
        StreamKey key = new StreamKey("live", "classichls");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/classichls", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "live/classichls", FAST_REPORTS + "&protocols=hls&firstFrameTimeoutMs=20000");
            page.awaitPlaying("hls", 30, Duration.ofSeconds(40));
            page.awaitLatencySamples(30, Duration.ofSeconds(15));
            double latency = page.latencyMillis();
            assertTrue(latency > 0 && latency < 20_000, "HLS end-to-end latency " + latency + " ms; " + page.stats());
            assertTrue(awaitJson(node, key, "\"qoe\":{\"hls\":{\"players\":1,"),
                    "the HLS player's reports reach the stream API: " + streamJson(node, key));
        }
    }

    static String streamJson(LiveShardNode node, StreamKey key) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + node.httpPort() + "/api/v1/streams/" + key.id())).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    static boolean awaitJson(LiveShardNode node, StreamKey key, String part) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (streamJson(node, key).contains(part)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
