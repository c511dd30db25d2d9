package io.liveshard.node.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Commands to a browser over its automation WebSocket, as both the Chrome DevTools protocol and WebDriver BiDi frame
 * them: {@code {"id":N,"method":M,"params":{...}}} out, a reply with the same id back, an {@code error} member when
 * the browser refused. Events (messages without an id) are not used.
 */
final class BrowserCommandSocket {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);

    private final String browserName;
    private final Supplier<String> browserLog;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<String>> pending;
    private final AtomicInteger nextId = new AtomicInteger(1);

    private BrowserCommandSocket(String browserName, Supplier<String> browserLog, WebSocket socket,
                                 Map<Integer, CompletableFuture<String>> pending) {
        this.browserName = browserName;
        this.browserLog = browserLog;
        this.socket = socket;
        this.pending = pending;
    }

    /** Connects to {@code url}; {@code browserLog} gives the browser's output for failure messages. */
    static BrowserCommandSocket connect(String browserName, URI url, Supplier<String> browserLog)
            throws InterruptedException {
        Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        try {
            WebSocket socket = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(url, new ReplyListener(browserName, pending))
                    .get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new BrowserCommandSocket(browserName, browserLog, socket, pending);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to " + browserName + " at " + url + ": " + e + "\n"
                    + browserName + " log:\n" + browserLog.get(), e);
        }
    }

    /** Sends one command and returns the browser's whole reply; fails when it refuses or does not answer in time. */
    String send(String method, String paramsJson) throws InterruptedException {
        int id = nextId.getAndIncrement();
        CompletableFuture<String> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String command = "{\"id\":" + id + ",\"method\":" + BrowserJson.quote(method) + ",\"params\":" + paramsJson
                + "}";
        try {
            synchronized (socket) {
                // The JDK WebSocket allows one outstanding send at a time.
                socket.sendText(command, true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            String answer = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String error = BrowserJson.member(answer, "error");
            if (error != null) {
                String message = BrowserJson.member(answer, "message");
                throw new IllegalStateException(browserName + " refused " + method + ": " + error
                        + (message != null ? " " + message : ""));
            }
            return answer;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(browserName + " did not answer " + method + " within " + COMMAND_TIMEOUT
                    + ": " + e + "\n" + browserName + " log:\n" + browserLog.get(), e);
        } finally {
            pending.remove(id);
        }
    }

    void abort() {
        socket.abort();
    }

    /** Hands each command reply to the future waiting for its id. */
    private static final class ReplyListener implements WebSocket.Listener {
        private final String browserName;
        private final Map<Integer, CompletableFuture<String>> pending;
        private final StringBuilder message = new StringBuilder();

        ReplyListener(String browserName, Map<Integer, CompletableFuture<String>> pending) {
            this.browserName = browserName;
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                String text = message.toString();
                message.setLength(0);
                String id = BrowserJson.member(text, "id");
                CompletableFuture<String> waiting = id != null && !id.equals("null")
                        ? pending.get(Integer.parseInt(id)) : null;
                if (waiting != null) {
                    waiting.complete(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failAll(new IllegalStateException(browserName + " closed the connection: " + statusCode + " " + reason));
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
