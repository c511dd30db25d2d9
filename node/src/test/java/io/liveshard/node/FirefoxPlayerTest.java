package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FirefoxBrowser;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.node.testkit.WebPlayerPage;
import io.liveshard.protocol.media.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The web player in a second browser engine, Debian's Firefox ESR, against a stream the real ffmpeg publishes. This
 * Firefox has no H.264 decoder for WebRTC (see {@link FirefoxBrowser}), so an artc URL must fall back at once, with
 * the reason, to HTTP-FLV; LL-HLS (hls.js) must play too. Both measure end-to-end latency from the stamps.
 */
class FirefoxPlayerTest {

    private static final Path SCREENSHOTS = WebPlayerPage.screenshotDir(FirefoxPlayerTest.class);
    private static final String FAST_REPORTS = "reportIntervalMs=1000";

    @Test
    void anArtcUrlFallsBackToHttpFlvWhenTheBrowserCannotDecodeH264OverWebRtc() throws Exception {
        StreamKey key = new StreamKey("live", "firefox");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/firefox", 60, 30);
             FirefoxBrowser browser = FirefoxBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "artc://127.0.0.1:" + node.httpPort() + "/live/firefox", FAST_REPORTS);
            page.awaitPlaying("http-flv", 30, Duration.ofSeconds(20));
            assertTrue(page.events().contains("{\"type\":\"fallback\",\"from\":\"artc\",\"to\":\"http-flv\","
                    + "\"reason\":\"unsupported\",\"message\":\"this browser cannot decode H.264 over WebRTC\"}"),
                    page.events());
            page.awaitLatencySamples(30, Duration.ofSeconds(10));
            double latency = page.latencyMillis();
            assertTrue(latency > 0 && latency < 2000, "HTTP-FLV end-to-end latency in Firefox " + latency + " ms; "
                    + page.stats());
            page.screenshot(SCREENSHOTS.resolve("player-firefox-http-flv.png"));
            StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("http-flv", 0) == 1,
                    Duration.ofSeconds(5), "watched over HTTP-FLV");
            assertTrue(WebPlayerBrowserTest.awaitJson(node, key, "\"fallbacksByReason\":{\"unsupported\":1}"),
                    "the fallback's reason reaches the stream API: " + WebPlayerBrowserTest.streamJson(node, key));
        }
    }

    @Test
    void playsLowLatencyHlsWithMeasuredLatency() throws Exception {
        StreamKey key = new StreamKey("live", "firefoxhls");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/firefoxhls", 60, 30);
             FirefoxBrowser browser = FirefoxBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "live/firefoxhls", "protocols=ll-hls&firstFrameTimeoutMs=15000");
            page.awaitPlaying("ll-hls", 30, Duration.ofSeconds(40));
            page.awaitLatencySamples(30, Duration.ofSeconds(15));
            double latency = page.latencyMillis();
            assertTrue(latency > 0 && latency < 10_000, "LL-HLS end-to-end latency in Firefox " + latency + " ms; "
                    + page.stats());
            assertEquals("0", page.stat("stalls"), page.stats());
            page.screenshot(SCREENSHOTS.resolve("player-firefox-ll-hls.png"));
        }
    }
}
