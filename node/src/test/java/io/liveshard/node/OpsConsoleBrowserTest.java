package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.ChromiumBrowser;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RtmpPlayer;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ops console (/console/) in the real Chromium, watching a stream the real ffmpeg publishes while the test
 * starts real viewers: two HTTP-FLV clients, one RTMP client and the web player over artc in a second Chromium.
 * The console is fed by server-sent events, and clicking the stream opens its detail view.
 */
class OpsConsoleBrowserTest {

    private static final Path SCREENSHOTS = WebPlayerPage.screenshotDir(OpsConsoleBrowserTest.class);
    private static final String ROW = "document.querySelector('tr[data-stream=\"live/console\"]')";

    @Test
    void showsViewersPerProtocolAndLatencyWithinThreeSeconds() throws Exception {
        StreamKey key = new StreamKey("live", "console");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/console", 60, 30);
             ChromiumBrowser consoleBrowser = ChromiumBrowser.launch();
             ChromiumBrowser playerBrowser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            String base = "http://127.0.0.1:" + node.httpPort();
            consoleBrowser.viewport(1100, 700);
            consoleBrowser.navigate(base + "/console/");
            consoleBrowser.await(ROW + " !== null", Duration.ofSeconds(5), "the console listing the stream");
            assertEquals("sse", consoleBrowser.evaluate("document.body.dataset.transport"),
                    "the console should be fed by server-sent events");

            consoleBrowser.evaluate(ROW + ".click()");
            consoleBrowser.await(detail("video-codec") + ".startsWith('H264 (avc1.') && "
                    + detail("resolution") + " === '640x360' && " + detail("fps") + " === '30 fps'",
                    Duration.ofSeconds(3), "the detail view showing the stream's codec and resolution");
            consoleBrowser.await(detail("bitrate") + ".endsWith('kbit/s')", Duration.ofSeconds(3),
                    "the detail view measuring the ingest bitrate");
            consoleBrowser.await("/^\\d+ (s|min)/.test(" + detail("uptime") + ")", Duration.ofSeconds(3),
                    "the detail view showing how long the stream has been live");

            consoleBrowser.await("document.querySelectorAll('#cluster tbody tr').length === 1 && document"
                    + ".querySelector('#cluster tbody tr td:nth-child(2)').textContent === 'Up' && document"
                    + ".querySelector('#cluster tbody tr td:nth-child(3)').textContent.includes('live/console')",
                    Duration.ofSeconds(8), "the cluster panel showing this node Up and owning the stream");

            WebPlayerPage player = new WebPlayerPage(playerBrowser);
            try (FlvViewer flv1 = FlvViewer.open(base + "/live/console.flv");
                 FlvViewer flv2 = FlvViewer.open(base + "/live/console.flv");
                 RtmpPlayer rtmp = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "console")) {
                player.open(node.httpPort(), "artc://127.0.0.1:" + node.httpPort() + "/live/console",
                        "reportIntervalMs=1000");
                flv1.awaitTags(10, Duration.ofSeconds(10));
                flv2.awaitTags(10, Duration.ofSeconds(10));
                rtmp.awaitVideoFrames(10, Duration.ofSeconds(10));
                player.awaitPlaying("artc", 10, Duration.ofSeconds(20));
                long allWatching = System.nanoTime();

                consoleBrowser.await(viewers("rtmp") + " === '1' && " + viewers("http-flv") + " === '2' && "
                        + viewers("artc") + " === '1'", Duration.ofSeconds(3), "the console counting the viewers");
                assertEquals("0", consoleBrowser.evaluate(viewers("hls")));
                consoleBrowser.await(clusterCell(4) + " === '4 (artc 1, http-flv 2, rtmp 1)'"
                        + " && /^\\d+(\\.\\d)?$/.test(" + clusterCell(5) + ")"
                        + " && /^\\d+ of \\d+$/.test(" + clusterCell(6) + ")",
                        Duration.ofSeconds(8), "the cluster panel showing this node's viewers, CPU and heap");
                System.out.printf("console showed the viewers %d ms after all were watching%n",
                        (System.nanoTime() - allWatching) / 1_000_000);

                // Server latency for the three connection protocols, and the player's end-to-end latency.
                consoleBrowser.await(cell("data-server-latency") + ".includes('artc') && "
                        + cell("data-server-latency") + ".includes('http-flv') && "
                        + cell("data-server-latency") + ".includes('rtmp')", Duration.ofSeconds(5),
                        "server latency per protocol");
                // p50 / p95, the first frame and the stall rate, from the real player's reports.
                consoleBrowser.await("/artc\\s+\\d+(\\.\\d)? \\/ \\d+(\\.\\d)? ff \\d+(\\.\\d)? stalled \\d+(\\.\\d)?% "
                        + "\\(1 player\\)/.test(" + cell("data-qoe") + ")", Duration.ofSeconds(8),
                        "the player's end-to-end latency, first frame and stall rate");
                Thread.sleep(3000);
                consoleBrowser.screenshot(SCREENSHOTS.resolve("console.png"));
                player.screenshot(SCREENSHOTS.resolve("console-player-artc.png"));

                String list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        base + "/api/v1/streams")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(list.contains("\"viewers\":{\"artc\":1,\"hls\":0,\"http-flv\":2,\"ll-hls\":0,\"rtmp\":1}"),
                        list);
                assertTrue(list.contains("\"serverLatency\":{\"artc\":{\"frames\":"), list);
                assertTrue(list.matches("(?s).*\"liveSinceMillis\":[1-9][0-9]{12}.*"), "when the stream went live: " + list);

                // The node keeps the chart's figures itself: a console opened now starts with the last minutes.
                String history = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        base + "/api/v1/streams/live/console/history")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(history.matches("(?s)\\{\"app\":\"live\",\"stream\":\"console\",\"intervalMillis\":2000,"
                        + "\"points\":\\[\\{\"timeMillis\":\\d{13},.*\"viewers\":4,\"serverLatencyP99Ms\":\\d.*"), history);
                consoleBrowser.navigate(base + "/console/");
                consoleBrowser.await("Number(document.body.dataset.historyPoints) >= 3", Duration.ofSeconds(5),
                        "a console opened now starting its chart from the node's samples");
            }
        }
    }

    /** With liveshard.api.token set, the console asks for the token, refuses a wrong one, and works with the right. */
    @Test
    void asksForTheApiTokenAndWorksWithIt() throws Exception {
        String token = "console-s3cret";
        String row = "document.querySelector('tr[data-stream=\"live/guarded\"]')";
        String formShown = "!document.getElementById('token-form').hidden";
        StreamKey key = new StreamKey("live", "guarded");
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.api.token", token));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/guarded", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            String base = "http://127.0.0.1:" + node.httpPort();
            browser.navigate(base + "/console/");
            browser.await(formShown + " && " + row + " === null", Duration.ofSeconds(5),
                    "the console asking for the token");

            browser.evaluate("document.getElementById('token').value = 'wrong'; "
                    + "document.getElementById('token-form').requestSubmit(); 'submitted'");
            browser.await("document.getElementById('status').textContent === 'the node wants an API token'",
                    Duration.ofSeconds(5), "a wrong token refused");
            assertEquals("true", browser.evaluate(formShown + " && " + row + " === null"));

            browser.evaluate("document.getElementById('token').value = '" + token + "'; "
                    + "document.getElementById('token-form').requestSubmit(); 'submitted'");
            browser.await(row + " !== null && document.getElementById('token-form').hidden", Duration.ofSeconds(5),
                    "the stream listed once the right token is given");

            browser.evaluate("sessionStorage.clear(); 'cleared'");
            browser.navigate(base + "/console/?token=" + token);
            browser.await(row + " !== null && document.body.dataset.transport === 'sse'", Duration.ofSeconds(5),
                    "the stream listed with ?token= in the page address, over server-sent events");
        }
    }

    private static String clusterCell(int column) {
        return "document.querySelector('#cluster tbody tr td:nth-child(" + column + ")').textContent";
    }

    private static String viewers(String protocol) {
        return ROW + ".querySelector('td[data-viewers=\"" + protocol + "\"]').textContent";
    }

    private static String detail(String field) {
        return "document.querySelector('#detail td[data-detail=\"" + field + "\"]').textContent";
    }

    private static String cell(String attribute) {
        return ROW + ".querySelector('td[" + attribute + "]').textContent";
    }
}
