package io.liveshard.node.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real Chromium ({@code /usr/bin/chromium}, headless, fresh profile) driven over the
 * <a href="https://chromedevtools.github.io/devtools-protocol/">Chrome DevTools protocol</a> with the JDK's own
 * HTTP client and WebSocket: one page (tab) that tests navigate and evaluate JavaScript in. Chromium's own output
 * goes to a log whose tail failing tests print.
 */
public final class ChromiumBrowser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final int LOG_TAIL_CHARS = 4000;
    private static final String LOG = "chromium.log";

    private final Process process;
    /** Holds the profile, Chromium's temporary files and its log; deleted on close. */
    private final Path workDir;
    private final Path logFile;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<String>> pending;
    private final AtomicInteger nextId = new AtomicInteger(1);

    private ChromiumBrowser(Process process, Path workDir, WebSocket socket,
                            Map<Integer, CompletableFuture<String>> pending) {
        this.process = process;
        this.workDir = workDir;
        this.logFile = workDir.resolve(LOG);
        this.socket = socket;
        this.pending = pending;
    }

    /** Starts headless Chromium with a fresh profile and connects to a new blank page. */
    public static ChromiumBrowser launch() throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is not installed: apt-get install -y chromium");
        }
        Path workDir = Files.createTempDirectory("chromium");
        Path profile = Files.createDirectory(workDir.resolve("profile"));
        Path log = workDir.resolve(LOG);
        ProcessBuilder builder = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
                "--mute-audio", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Chromium's scratch folders (org.chromium.Chromium.*) go to $TMPDIR: keep them in the work folder too.
        builder.environment().put("TMPDIR", Files.createDirectory(workDir.resolve("tmp")).toString());
        Process process = builder.start();
        Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        try {
            int port = awaitDevToolsPort(process, profile, log);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // Chromium only opens new targets for PUT; the reply describes the one page this browser drives.
            HttpResponse<String> target = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                            .PUT(HttpRequest.BodyPublishers.noBody()).timeout(COMMAND_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            String debuggerUrl = CdpJson.member(target.body(), "webSocketDebuggerUrl");
            if (target.statusCode() != 200 || debuggerUrl == null) {
                throw new IllegalStateException("chromium /json/new answered " + target.statusCode() + ": "
                        + target.body() + "\nchromium log:\n" + tail(log));
            }
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(CdpJson.unquote(debuggerUrl)), new ReplyListener(pending))
                    .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new ChromiumBrowser(process, workDir, socket, pending);
        } catch (IOException | InterruptedException | RuntimeException e) {
            destroyTree(process);
            deleteTree(workDir);
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            String message = "cannot connect to chromium's page: " + e + "\nchromium log:\n" + tail(log);
            destroyTree(process);
            deleteTree(workDir);
            throw new IllegalStateException(message, e);
        }
    }

    /** Loads {@code url} in the page and waits until its document has finished loading. */
    public void navigate(String url) throws InterruptedException {
        // Marks the current document so the wait below cannot mistake it for the new one.
        evaluate("window.__replacedByNavigation = true");
        String reply = send("Page.navigate", "{\"url\":" + CdpJson.quote(url) + "}");
        String errorText = CdpJson.member(CdpJson.member(reply, "result"), "errorText");
        if (errorText != null) {
            throw new IllegalStateException("chromium cannot load " + url + ": " + CdpJson.unquote(errorText));
        }
        // Until the new document exists, evaluations may still run in (or fail with) the old one.
        await("window.__replacedByNavigation !== true && document.readyState === 'complete'",
                Duration.ofSeconds(15), "the page " + url + " loaded");
    }

    /**
     * Evaluates a JavaScript expression in the page (awaiting it when it is a promise) and returns its value: a
     * string as is, anything else as its JSON text ({@code 12.5}, {@code true}, {@code null}, {@code NaN}), and
     * {@code undefined} for undefined. A thrown exception fails with its description.
     */
    public String evaluate(String expression) throws InterruptedException {
        String reply = send("Runtime.evaluate", "{\"expression\":" + CdpJson.quote(expression)
                + ",\"returnByValue\":true,\"awaitPromise\":true}");
        String outcome = CdpJson.member(reply, "result");
        String exception = CdpJson.member(outcome, "exceptionDetails");
        if (exception != null) {
            String thrown = CdpJson.member(CdpJson.member(exception, "exception"), "description");
            throw new IllegalStateException("evaluating `" + expression + "` threw: "
                    + (thrown != null ? CdpJson.unquote(thrown) : exception));
        }
        String result = CdpJson.member(outcome, "result");
        String value = CdpJson.member(result, "value");
        if (value == null) {
            String unserializable = CdpJson.member(result, "unserializableValue");
            return unserializable != null ? CdpJson.unquote(unserializable) : "undefined";
        }
        return value.startsWith("\"") ? CdpJson.unquote(value) : value;
    }

    /** Evaluates {@code condition} every 100 ms until it is {@code true}; fails naming {@code what} at the timeout. */
    public void await(String condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = evaluate(condition);
                if (last.equals("true")) {
                    return;
                }
            } catch (IllegalStateException e) {
                // A navigation in progress destroys the context an evaluation ran in; the next poll uses the new one.
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("chromium: " + what + " not within " + timeout + " (`" + condition + "` was "
                + last + ")\nchromium log:\n" + log());
    }

    /** Saves what the page shows now as a PNG file (creating its folder), for a test's record of a UI. */
    public void screenshot(Path file) throws InterruptedException, IOException {
        String reply = send("Page.captureScreenshot", "{\"format\":\"png\"}");
        String data = CdpJson.member(CdpJson.member(reply, "result"), "data");
        if (data == null) {
            throw new IllegalStateException("chromium sent no screenshot: " + reply);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, java.util.Base64.getDecoder().decode(CdpJson.unquote(data)));
    }

    /** Sets the page's viewport size, so that screenshots show a whole page. */
    public void viewport(int width, int height) throws InterruptedException {
        send("Emulation.setDeviceMetricsOverride", "{\"width\":" + width + ",\"height\":" + height
                + ",\"deviceScaleFactor\":1,\"mobile\":false}");
    }

    /** The last few kilobytes of Chromium's own output (D-Bus noise left out). */
    public String log() {
        return tail(logFile);
    }

    private String send(String method, String paramsJson) throws InterruptedException {
        int id = nextId.getAndIncrement();
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String command = "{\"id\":" + id + ",\"method\":" + CdpJson.quote(method) + ",\"params\":" + paramsJson + "}";
        try {
            synchronized (socket) {
                // The JDK WebSocket allows one outstanding send at a time.
                socket.sendText(command, true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            String answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String error = CdpJson.member(answer, "error");
            if (error != null) {
                throw new IllegalStateException("chromium refused " + method + ": " + error);
            }
            return answer;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("chromium did not answer " + method + " within " + COMMAND_TIMEOUT
                    + ": " + e + "\nchromium log:\n" + log(), e);
        } finally {
            pending.remove(id);
        }
    }

    /** Closes the page connection, kills Chromium and every process it started, and deletes its profile and log. */
    @Override
    public void close() {
        socket.abort();
        destroyTree(process);
        deleteTree(workDir);
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

    private static void destroyTree(Process process) {
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle handle : all) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path dir) {
        // A Chromium helper that is still exiting can create a file while the tree is walked: try a few times.
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException | UncheckedIOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The end of Chromium's output, without its complaints about the D-Bus that test machines do not run. */
    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            String text = lines.filter(line -> !line.contains(":ERROR:dbus/")).collect(Collectors.joining("\n"));
            return text.length() <= LOG_TAIL_CHARS ? text : "…" + text.substring(text.length() - LOG_TAIL_CHARS);
        } catch (IOException | UncheckedIOException e) {
            return "(no chromium log: " + e + ")";
        }
    }

    /** Hands each command reply to the future waiting for its id; events (messages without an id) are not used. */
    private static final class ReplyListener implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<String>> pending;
        private final StringBuilder message = new StringBuilder();

        ReplyListener(Map<Integer, CompletableFuture<String>> pending) {
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                String id = CdpJson.member(text, "id");
                CompletableFuture<String> waiting = id != null ? pending.get(Integer.parseInt(id)) : null;
                if (waiting != null) {
                    waiting.complete(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failAll(new IllegalStateException("chromium closed the page connection: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failAll(error);
        }

        private void failAll(Throwable cause) {
            pending.values().forEach(future -> future.completeExceptionally(cause));
        }
    }
}
