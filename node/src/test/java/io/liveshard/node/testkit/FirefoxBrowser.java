package io.liveshard.node.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Firefox ESR ({@code /usr/bin/firefox-esr}, headless, fresh profile) driven over
 * <a href="https://w3c.github.io/webdriver-bidi/">WebDriver BiDi</a>, the only automation protocol it still speaks,
 * with the JDK's own WebSocket: one browsing context that tests navigate and evaluate JavaScript in.
 *
 * <p>The profile turns off the OpenH264 plugin. Firefox downloads that plugin (its only H.264 codec for WebRTC)
 * from Cisco after its first start, which machines without internet access never do; turning it off makes the
 * browser the same on every machine: a Firefox that cannot decode H.264 over WebRTC.
 */
public final class FirefoxBrowser implements Browser {

    private static final Path FIREFOX = Path.of("/usr/bin/firefox-esr");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOG = "firefox.log";
    private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
    private static final Pattern CONTEXT = Pattern.compile("\"context\"\\s*:\\s*\"([^\"]+)\"");
    private static final List<String> PREFERENCES = List.of(
            "media.autoplay.default\", 0",
            "media.autoplay.blocking_policy\", 0",
            "media.gmp-gmpopenh264.enabled\", false",
            "media.gmp-manager.updateEnabled\", false",
            "app.update.enabled\", false",
            "browser.shell.checkDefaultBrowser\", false",
            "datareporting.policy.dataSubmissionEnabled\", false",
            "toolkit.telemetry.enabled\", false",
            "network.captive-portal-service.enabled\", false",
            "browser.safebrowsing.malware.enabled\", false",
            "browser.safebrowsing.phishing.enabled\", false");

    private final Process process;
    /** Holds the profile, Firefox's temporary files and its log; deleted on close. */
    private final Path workDir;
    private final Path logFile;
    private final BrowserCommandSocket session;
    private final String context;

    private FirefoxBrowser(Process process, Path workDir, BrowserCommandSocket session, String context) {
        this.process = process;
        this.workDir = workDir;
        this.logFile = workDir.resolve(LOG);
        this.session = session;
        this.context = context;
    }

    /** Starts headless Firefox with a fresh profile, opens a BiDi session and takes its first browsing context. */
    public static FirefoxBrowser launch() throws IOException, InterruptedException {
        BrowserProcesses.WorkDir dirs = BrowserProcesses.WorkDir.create(FIREFOX, "firefox-esr", LOG);
        Path workDir = dirs.root();
        Path profile = dirs.profile();
        Files.write(profile.resolve("user.js"),
                PREFERENCES.stream().map(preference -> "user_pref(\"" + preference + ");").toList());
        Path log = dirs.log();
        ProcessBuilder builder = new ProcessBuilder(List.of(FIREFOX.toString(), "--headless", "--no-remote",
                "--remote-debugging-port=0", "--profile", profile.toString(), "about:blank"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TMPDIR", dirs.tmp().toString());
        builder.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
        Process process = builder.start();
        try {
            BrowserCommandSocket session = BrowserCommandSocket.connect("firefox",
                    URI.create(awaitBidiAddress(process, log) + "/session"), () -> tail(log));
            session.send("session.new", "{\"capabilities\":{}}");
            String tree = session.send("browsingContext.getTree", "{\"maxDepth\":0}");
            Matcher context = CONTEXT.matcher(tree);
            if (!context.find()) {
                throw new IllegalStateException("firefox has no browsing context: " + tree);
            }
            return new FirefoxBrowser(process, workDir, session, context.group(1));
        } catch (IOException | InterruptedException | RuntimeException e) {
            BrowserProcesses.destroyTree(process);
            BrowserProcesses.deleteTree(workDir);
            throw e;
        }
    }

    @Override
    public String name() {
        return "firefox";
    }

    @Override
    public void navigate(String url) throws InterruptedException {
        session.send("browsingContext.navigate", "{\"context\":" + BrowserJson.quote(context) + ",\"url\":"
                + BrowserJson.quote(url) + ",\"wait\":\"complete\"}");
    }

    @Override
    public String evaluate(String expression) throws InterruptedException {
        // BiDi answers with typed remote values; the page encodes the value itself so that the answer reads like
        // ChromiumBrowser's: a prefix says string (s), undefined (u) or JSON text (j).
        String encoding = "(async () => { const v = await (\n" + expression + "\n);"
                + " return typeof v === 'string' ? 's' + v : v === undefined ? 'u'"
                + " : typeof v === 'number' ? 'j' + String(v) : 'j' + JSON.stringify(v); })()";
        String reply = session.send("script.evaluate", "{\"expression\":" + BrowserJson.quote(encoding)
                + ",\"target\":{\"context\":" + BrowserJson.quote(context) + "},\"awaitPromise\":true}");
        String outcome = BrowserJson.member(reply, "result");
        if (!"\"success\"".equals(BrowserJson.member(outcome, "type"))) {
            String text = BrowserJson.member(BrowserJson.member(outcome, "exceptionDetails"), "text");
            throw new IllegalStateException("evaluating `" + expression + "` threw: "
                    + (text != null ? BrowserJson.unquote(text) : outcome));
        }
        String encoded = BrowserJson.unquote(BrowserJson.member(BrowserJson.member(outcome, "result"), "value"));
        return encoded.equals("u") ? "undefined" : encoded.substring(1);
    }

    @Override
    public void screenshot(Path file) throws InterruptedException, IOException {
        BrowserProcesses.saveScreenshot(session.send("browsingContext.captureScreenshot",
                "{\"context\":" + BrowserJson.quote(context) + "}"), file, name());
    }

    @Override
    public void viewport(int width, int height) throws InterruptedException {
        session.send("browsingContext.setViewport", "{\"context\":" + BrowserJson.quote(context)
                + ",\"viewport\":{\"width\":" + width + ",\"height\":" + height + "}}");
    }

    @Override
    public String log() {
        return tail(logFile);
    }

    @Override
    public void close() {
        session.abort();
        BrowserProcesses.destroyTree(process);
        BrowserProcesses.deleteTree(workDir);
    }

    /** Firefox prints its BiDi address ({@code ws://127.0.0.1:PORT}) once the remote agent listens. */
    private static String awaitBidiAddress(Process process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("firefox exited with " + process.exitValue()
                        + " before its remote agent listened; log:\n" + tail(log));
            }
            // Read leniently: Firefox's output is not always valid UTF-8.
            Matcher listening = LISTENING.matcher(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
            if (listening.find()) {
                return listening.group(1);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("firefox's remote agent did not listen within " + STARTUP_TIMEOUT
                + "; log:\n" + tail(log));
    }

    /** The end of Firefox's output, without what a machine without a display or internet access makes it say. */
    private static String tail(Path log) {
        return BrowserProcesses.tail(log, line -> line.contains("Exiting due to channel error")
                || line.contains("RemoteSettings") || line.isBlank());
    }
}
