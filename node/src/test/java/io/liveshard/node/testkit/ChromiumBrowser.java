package io.liveshard.node.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real Chromium ({@code /usr/bin/chromium}, headless, fresh profile) driven over the
 * <a href="https://chromedevtools.github.io/devtools-protocol/">Chrome DevTools protocol</a> with the JDK's own
 * HTTP client and WebSocket: one page (tab) that tests navigate and evaluate JavaScript in. Chromium's own output
 * goes to a log whose tail failing tests print.
 */
public final class ChromiumBrowser implements Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final String LOG = "chromium.log";

    private final Process process;
    /** Holds the profile, Chromium's temporary files and its log; deleted on close. */
    private final Path workDir;
    private final Path logFile;
    private final BrowserCommandSocket page;

    private ChromiumBrowser(Process process, Path workDir, BrowserCommandSocket page) {
        this.process = process;
        this.workDir = workDir;
        this.logFile = workDir.resolve(LOG);
        this.page = page;
    }

    /** Starts headless Chromium with a fresh profile and connects to a new blank page. */
    public static ChromiumBrowser launch() throws IOException, InterruptedException {
        BrowserProcesses.WorkDir dirs = BrowserProcesses.WorkDir.create(CHROMIUM, "chromium", LOG);
        Path workDir = dirs.root();
        Path profile = dirs.profile();
        Path log = dirs.log();
        ProcessBuilder builder = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
                "--mute-audio", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Chromium's scratch folders (org.chromium.Chromium.*) go to $TMPDIR: keep them in the work folder too.
        builder.environment().put("TMPDIR", dirs.tmp().toString());
        Process process = builder.start();
        try {
            int port = awaitDevToolsPort(process, profile, log);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // Chromium only opens new targets for PUT; the reply describes the one page this browser drives.
            HttpResponse<String> target = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                            .PUT(HttpRequest.BodyPublishers.noBody()).timeout(COMMAND_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            String debuggerUrl = BrowserJson.member(target.body(), "webSocketDebuggerUrl");
            if (target.statusCode() != 200 || debuggerUrl == null) {
                throw new IllegalStateException("chromium /json/new answered " + target.statusCode() + ": "
                        + target.body() + "\nchromium log:\n" + tail(log));
            }
            BrowserCommandSocket page = BrowserCommandSocket.connect("chromium",
                    URI.create(BrowserJson.unquote(debuggerUrl)), () -> tail(log));
            return new ChromiumBrowser(process, workDir, page);
        } catch (IOException | InterruptedException | RuntimeException e) {
            BrowserProcesses.destroyTree(process);
            BrowserProcesses.deleteTree(workDir);
            throw e;
        }
    }

    @Override
    public String name() {
        return "chromium";
    }

    /** Runs {@code source} in every document the page loads from now on, before the document's own scripts. */
    public void addInitScript(String source) throws InterruptedException {
        // Without the Page domain enabled, Chromium accepts the script but never runs it.
        send("Page.enable", "{}");
        send("Page.addScriptToEvaluateOnNewDocument", "{\"source\":" + BrowserJson.quote(source) + "}");
    }

    /** Loads {@code url} in the page and waits until its document has finished loading. */
    @Override
    public void navigate(String url) throws InterruptedException {
        // Marks the current document so the wait below cannot mistake it for the new one.
        evaluate("window.__replacedByNavigation = true");
        String reply = send("Page.navigate", "{\"url\":" + BrowserJson.quote(url) + "}");
        String errorText = BrowserJson.member(BrowserJson.member(reply, "result"), "errorText");
        if (errorText != null) {
            throw new IllegalStateException("chromium cannot load " + url + ": " + BrowserJson.unquote(errorText));
        }
        // Until the new document exists, evaluations may still run in (or fail with) the old one.
        await("window.__replacedByNavigation !== true && document.readyState === 'complete'",
                Duration.ofSeconds(15), "the page " + url + " loaded");
    }

    @Override
    public String evaluate(String expression) throws InterruptedException {
        String reply = send("Runtime.evaluate", "{\"expression\":" + BrowserJson.quote(expression)
                + ",\"returnByValue\":true,\"awaitPromise\":true}");
        String outcome = BrowserJson.member(reply, "result");
        String exception = BrowserJson.member(outcome, "exceptionDetails");
        if (exception != null) {
            String thrown = BrowserJson.member(BrowserJson.member(exception, "exception"), "description");
            throw new IllegalStateException("evaluating `" + expression + "` threw: "
                    + (thrown != null ? BrowserJson.unquote(thrown) : exception));
        }
        String result = BrowserJson.member(outcome, "result");
        String value = BrowserJson.member(result, "value");
        if (value == null) {
            String unserializable = BrowserJson.member(result, "unserializableValue");
            return unserializable != null ? BrowserJson.unquote(unserializable) : "undefined";
        }
        return value.startsWith("\"") ? BrowserJson.unquote(value) : value;
    }

    /** Saves what the page shows now as a PNG file (creating its folder), for a test's record of a UI. */
    @Override
    public void screenshot(Path file) throws InterruptedException, IOException {
        BrowserProcesses.saveScreenshot(send("Page.captureScreenshot", "{\"format\":\"png\"}"), file, name());
    }

    /** Sets the page's viewport size, so that screenshots show a whole page. */
    @Override
    public void viewport(int width, int height) throws InterruptedException {
        send("Emulation.setDeviceMetricsOverride", "{\"width\":" + width + ",\"height\":" + height
                + ",\"deviceScaleFactor\":1,\"mobile\":false}");
    }

    /** The last few kilobytes of Chromium's own output (D-Bus noise left out). */
    @Override
    public String log() {
        return tail(logFile);
    }

    private String send(String method, String paramsJson) throws InterruptedException {
        return page.send(method, paramsJson);
    }

    /** Closes the page connection, kills Chromium and every process it started, and deletes its profile and log. */
    @Override
    public void close() {
        page.abort();
        BrowserProcesses.destroyTree(process);
        BrowserProcesses.deleteTree(workDir);
    }

    private static int awaitDevToolsPort(Process process, Path profile, Path log) throws IOException,
            InterruptedException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited with " + process.exitValue()
                        + " before opening its DevTools port; log:\n" + tail(log));
            }
            // Chromium writes "port\n/devtools/browser/<id>"; a file without the second line is still being written.
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (lines.size() >= 2 && lines.get(0).matches("\\d+")) {
                    return Integer.parseInt(lines.get(0));
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromium wrote no " + portFile + " within " + STARTUP_TIMEOUT + "; log:\n"
                + tail(log));
    }

    /** The end of Chromium's output, without its complaints about the D-Bus that test machines do not run. */
    private static String tail(Path log) {
        return BrowserProcesses.tail(log, line -> line.contains(":ERROR:dbus/"));
    }
}
