package io.liveshard.node;

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
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web player in Chromium when artc media stops in the middle of playback: the test ends the player's artc
 * session from the node (the management API's kick) every time it starts; the player retries artc as configured,
 * then falls back to HTTP-FLV with the reason "media-stopped", and plays.
 */
class PlayerMidPlayFallbackTest {

    private static final Pattern ARTC_CLIENT = Pattern.compile(
            "\\{\"id\":\"(\\d+)\",\"stream\":\\{[^}]*\\},\"role\":\"subscriber\",\"protocol\":\"artc\"");

    @Test
    void mediaStoppingMidPlayIsRetriedThenFallsBackToFlv() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/midplay", 60, 30);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "midplay"));
            WebPlayerPage page = new WebPlayerPage(browser);
            page.open(node.httpPort(), "artc://127.0.0.1:" + node.httpPort() + "/live/midplay",
                    "mediaTimeoutMs=1500&retries=1&reportIntervalMs=0");
            page.awaitPlaying("artc", 10, Duration.ofSeconds(15));

            String clients = "http://127.0.0.1:" + node.httpPort() + "/api/v1/streams/live/midplay/clients";
            int kicks = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!browser.evaluate("String(liveShardPlayer.stats.protocol)").equals("http-flv")) {
                assertTrue(System.nanoTime() < deadline, "no fallback after " + kicks + " kicks: " + page.events());
                Matcher artc = ARTC_CLIENT.matcher(http.send(HttpRequest.newBuilder(URI.create(clients)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                if (artc.find()) {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                                    + "/api/v1/clients/" + artc.group(1) + "/kick"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                    kicks++;
                }
                Thread.sleep(200);
            }
            page.awaitPlaying("http-flv", 10, Duration.ofSeconds(15));
            String events = page.events();
            assertTrue(kicks >= 2, "the first session and the retry were both cut: " + kicks + " kicks, " + events);
            assertTrue(events.contains("\"type\":\"retry\"") && events.contains("\"reason\":\"media-stopped\""),
                    "the player retried artc after its media stopped: " + events);
            assertTrue(events.contains("\"type\":\"fallback\",\"from\":\"artc\",\"to\":\"http-flv\","
                    + "\"reason\":\"media-stopped\""), "then fell back to HTTP-FLV: " + events);
        }
    }
}
