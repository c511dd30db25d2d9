package io.liveshard.node.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The hls.js player page ({@code node/src/test/js/hls-harness}: {@code index.html} and hls.js from the npm registry,
 * pinned by its {@code package-lock.json}) served on its own origin by a JDK HTTP server on 127.0.0.1, so the
 * playlists and segments it plays are cross-origin requests to the node. {@link #play} opens it in a
 * {@link ChromiumBrowser} and measures what a viewer gets.
 */
public final class HlsJsHarness implements AutoCloseable {

    private static final Path HLS_JS = Path.of("node_modules", "hls.js", "dist", "hls.min.js");
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(500);

    /**
     * What one playback measured.
     *
     * @param playlistUrl        what the page played
     * @param startup            from opening the page to the playhead moving (currentTime > 0)
     * @param framesAtStart      video frames decoded when the watch began
     * @param framesAtEnd        video frames decoded when the watch ended
     * @param watched            how long the watch lasted
     * @param latencySeconds     hls.js's distance from the playhead to the live edge, sampled every 500 ms
     * @param ingestLatencySeconds from the node receiving the frame on screen to showing it, by the playlist's
     *                           program date-time (the node's ingest clock), sampled with {@code latencySeconds}
     * @param levelCodecs        the codecs hls.js found in the playlist
     * @param fatalErrors        fatal hls.js errors (and play() refusals), empty when playback was clean
     * @param snapshot           the page's state at the end, as JSON, for messages
     */
    public record Playback(String playlistUrl, Duration startup, long framesAtStart, long framesAtEnd,
                           Duration watched, List<Double> latencySeconds, List<Double> ingestLatencySeconds,
                           String levelCodecs, List<String> fatalErrors, String snapshot) {

        public long framesDuringWatch() {
            return framesAtEnd - framesAtStart;
        }

        public double medianLatencySeconds() {
            return median(latencySeconds);
        }

        public double medianIngestLatencySeconds() {
            return median(ingestLatencySeconds);
        }

        public double maxLatencySeconds() {
            return latencySeconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return String.format("%s: started in %d ms, %d frames in %.1f s, latency to the live edge median "
                            + "%.2f s max %.2f s (%d samples), ingest to screen median %.2f s, codecs %s, "
                            + "fatal errors %s", playlistUrl, startup.toMillis(), framesDuringWatch(),
                    watched.toMillis() / 1000.0, medianLatencySeconds(), maxLatencySeconds(), latencySeconds.size(),
                    medianIngestLatencySeconds(), levelCodecs, fatalErrors);
        }

        private static double median(List<Double> samples) {
            List<Double> sorted = samples.stream().sorted().toList();
            return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private HlsJsHarness(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Installs hls.js with {@code npm ci} when it is missing, then serves the page on a free port of 127.0.0.1. */
    public static HlsJsHarness start() throws IOException, InterruptedException {
        Path dir = harnessDir();
        if (!Files.isRegularFile(dir.resolve(HLS_JS))) {
            npmCi(dir);
        }
        Map<String, Path> files = Map.of(
                "/", dir.resolve("index.html"),
                "/index.html", dir.resolve("index.html"),
                "/hls.min.js", dir.resolve(HLS_JS));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> serve(exchange, files));
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "hls-harness-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new HlsJsHarness(server, executor);
    }

    /** The page's URL for playing {@code playlistUrl}. */
    public String pageUrl(String playlistUrl) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/index.html?src="
                + URLEncoder.encode(playlistUrl, StandardCharsets.UTF_8);
    }

    /**
     * Opens the page on {@code playlistUrl}, waits (at most 20 s) for the playhead to move, then watches for
     * {@code watch}, sampling the latency. Fails, with the page's state and Chromium's log, when playback does not
     * start or a fatal error comes first; everything after the start is left for the caller to judge.
     */
    public Playback play(ChromiumBrowser browser, String playlistUrl, Duration watch) throws InterruptedException {
        long opened = System.nanoTime();
        browser.navigate(pageUrl(playlistUrl));
        long startDeadline = opened + STARTUP_TIMEOUT.toNanos();
        while (!browser.evaluate("harness.currentTime > 0 || harness.errors.length > 0").equals("true")) {
            if (System.nanoTime() > startDeadline) {
                throw new AssertionError("hls.js did not start playing " + playlistUrl + " within " + STARTUP_TIMEOUT
                        + "; page: " + browser.evaluate("harness.snapshot()") + "\nchromium log:\n" + browser.log());
            }
            Thread.sleep(100);
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - opened);
        if (!browser.evaluate("harness.errors.length").equals("0")) {
            throw new AssertionError("hls.js failed on " + playlistUrl + " before playing; page: "
                    + browser.evaluate("harness.snapshot()") + "\nchromium log:\n" + browser.log());
        }

        long framesAtStart = Long.parseLong(browser.evaluate("harness.framesDecoded()"));
        long watchStart = System.nanoTime();
        long watchEnd = watchStart + watch.toNanos();
        List<Double> latency = new ArrayList<>();
        List<Double> ingestLatency = new ArrayList<>();
        while (System.nanoTime() < watchEnd) {
            long untilEnd = TimeUnit.NANOSECONDS.toMillis(watchEnd - System.nanoTime()) + 1;
            Thread.sleep(Math.min(SAMPLE_INTERVAL.toMillis(), untilEnd));
            latency.add(Double.parseDouble(browser.evaluate("harness.latency()")));
            ingestLatency.add(Double.parseDouble(browser.evaluate("harness.ingestLatency()")));
        }
        long framesAtEnd = Long.parseLong(browser.evaluate("harness.framesDecoded()"));
        Duration watched = Duration.ofNanos(System.nanoTime() - watchStart);
        List<String> fatalErrors = new ArrayList<>();
        int errorCount = Integer.parseInt(browser.evaluate("harness.errors.length"));
        for (int i = 0; i < errorCount; i++) {
            fatalErrors.add(browser.evaluate("harness.errors[" + i + "]"));
        }
        return new Playback(playlistUrl, startup, framesAtStart, framesAtEnd, watched, List.copyOf(latency),
                List.copyOf(ingestLatency), browser.evaluate("String(harness.levelCodecs)"), List.copyOf(fatalErrors),
                browser.evaluate("harness.snapshot()"));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void serve(HttpExchange exchange, Map<String, Path> files) throws IOException {
        try (exchange) {
            Path file = files.get(exchange.getRequestURI().getPath());
            if (file == null || !exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", file.toString().endsWith(".js")
                    ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The harness folder, whether the tests run from the node module (Maven's default) or the repository root. */
    private static Path harnessDir() {
        Path workingDir = Path.of(System.getProperty("user.dir"));
        for (Path candidate : List.of(workingDir.resolve("src/test/js/hls-harness"),
                workingDir.resolve("node/src/test/js/hls-harness"))) {
            if (Files.isRegularFile(candidate.resolve("package-lock.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no src/test/js/hls-harness/package-lock.json under " + workingDir);
    }

    private static void npmCi(Path dir) throws IOException, InterruptedException {
        String npm = null;
        for (String pathDir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(pathDir, "npm"))) {
                npm = Path.of(pathDir, "npm").toString();
                break;
            }
        }
        if (npm == null) {
            throw new IllegalStateException("npm is not installed (it installs hls.js for the browser tests): "
                    + "apt-get install -y npm");
        }
        Path log = Files.createTempFile("npm-ci-hls-harness", ".log");
        try {
            Process process = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("npm ci in " + dir + " did not finish within " + NPM_TIMEOUT
                        + "; output:\n" + Files.readString(log));
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(dir.resolve(HLS_JS))) {
                throw new IllegalStateException("npm ci in " + dir + " failed (exit " + process.exitValue()
                        + ", " + HLS_JS + (Files.isRegularFile(dir.resolve(HLS_JS)) ? " present" : " missing")
                        + "); output:\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
