package io.liveshard.node.testkit;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's own web player page ({@code /player/}, from the ops-console module) in a {@link Browser}: opens
 * it on a source, waits for playback and reads the player's state ({@code window.liveShardPlayer.stats} and the
 * events the page collects in {@code window.liveShardEvents}).
 */
public final class WebPlayerPage {

    private final Browser browser;

    public WebPlayerPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens {@code http://127.0.0.1:httpPort/player/?src=...} with extra query parameters (player options). */
    public void open(int httpPort, String source, String options) throws InterruptedException {
        browser.viewport(1000, 700);
        browser.navigate("http://127.0.0.1:" + httpPort + "/player/?src="
                + java.net.URLEncoder.encode(source, java.nio.charset.StandardCharsets.UTF_8)
                + (options.isEmpty() ? "" : "&" + options));
    }

    /** Waits until the player plays {@code protocol} and has shown {@code frames} frames. */
    public void awaitPlaying(String protocol, int frames, Duration timeout) throws InterruptedException {
        browser.await("window.liveShardPlayer && liveShardPlayer.stats.state === 'playing'"
                + " && liveShardPlayer.stats.protocol === '" + protocol + "'"
                + " && liveShardPlayer.stats.framesShown >= " + frames, timeout,
                "the player playing " + protocol + " (events " + safeEvents() + ")");
    }

    /** Waits until the player has measured {@code samples} end-to-end latency samples on the current protocol. */
    public void awaitLatencySamples(int samples, Duration timeout) throws InterruptedException {
        browser.await("liveShardPlayer.stats.latencySamples >= " + samples, timeout,
                samples + " latency samples (stats " + safeStats() + ")");
    }

    /** From now on, keeps every end-to-end latency sample the player measures, with the page's time of it. */
    public void logLatency() throws InterruptedException {
        browser.evaluate("(() => { window.liveShardLatencyLog = []; liveShardPlayer.addEventListener('latency',"
                + " (event) => liveShardLatencyLog.push("
                + "Math.round(performance.now()) + ':' + Math.round(event.detail.ms)));"
                + " return 'logging'; })()");
    }

    /** The samples since {@link #logLatency}: {@code {page millis, latency millis}} each, oldest first. */
    public List<long[]> latencyLog() throws InterruptedException {
        String log = browser.evaluate("liveShardLatencyLog.join(',')");
        List<long[]> samples = new ArrayList<>();
        for (String sample : log.isEmpty() ? new String[0] : log.split(",")) {
            String[] parts = sample.split(":");
            samples.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
        }
        return samples;
    }

    public String stats() throws InterruptedException {
        return browser.evaluate("JSON.stringify(liveShardPlayer.stats)");
    }

    /** A member of the player's stats as the page's JavaScript prints it (a string as is, else JSON text). */
    public String stat(String name) throws InterruptedException {
        return browser.evaluate("liveShardPlayer.stats." + name);
    }

    /** The QoE reporter's state as JSON: reports sent and failed, why the latest failed, what waits to be sent. */
    public String reporter() throws InterruptedException {
        return browser.evaluate("JSON.stringify(liveShardPlayer.reporter)");
    }

    public String events() throws InterruptedException {
        return browser.evaluate("JSON.stringify(window.liveShardEvents)");
    }

    /** The median of the latest end-to-end latency samples, in milliseconds; NaN when none. */
    public double latencyMillis() throws InterruptedException {
        String value = browser.evaluate("liveShardPlayer.stats.latencyMs");
        return value.equals("null") ? Double.NaN : Double.parseDouble(value);
    }

    private String safeEvents() {
        try {
            return events();
        } catch (RuntimeException | InterruptedException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private String safeStats() {
        try {
            return stats();
        } catch (RuntimeException | InterruptedException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /**
     * Where a test saves its screenshots: {@code screenshots/} in the build folder the test classes were compiled
     * into (target/, or target-x/ with -Dliveshard.buildDir=target-x).
     */
    public static Path screenshotDir(Class<?> testClass) {
        try {
            Path testClasses = Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent().resolve("screenshots");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test classes have no file location", e);
        }
    }

    public void screenshot(Path file) throws InterruptedException, IOException {
        browser.screenshot(file);
    }
}
