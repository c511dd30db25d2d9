package io.liveshard.node.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A webhook receiver for tests: the JDK's own HTTP server on 127.0.0.1, recording every request and answering with
 * what the test's {@link Answer} function says: a status and body, or never (until it is closed).
 */
public final class HookReceiver implements AutoCloseable {

    /** One request as it arrived, and the status it was answered with (0: never answered). */
    public record Received(String path, Map<String, String> headers, byte[] body, JsonNode json, long arrivedNanos,
                           int status) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        public String field(String name) {
            JsonNode value = json.get(name);
            return value == null ? null : value.asText();
        }
    }

    /** What to answer: a status and body, or {@link #NEVER}. */
    public record Answer(int status, String body) {
        public static final Answer NEVER = new Answer(0, "");

        public static Answer allow() {
            return new Answer(200, "");
        }

        public static Answer deny(String reason) {
            return new Answer(200, "{\"allow\": false, \"reason\": \"" + reason + "\"}");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "hook-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Requests seen per delivery id, for answers that depend on the attempt. */
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Function<Received, Answer> answers;

    private HookReceiver(Function<Received, Answer> answers) throws IOException {
        this.answers = answers;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a receiver answering each request with {@code answers}; the request's JSON is parsed first. */
    public static HookReceiver start(Function<Received, Answer> answers) throws IOException {
        return new HookReceiver(answers);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** How many requests with this delivery id arrived so far, this one included. */
    public int attempt(Received request) {
        return attempts.getOrDefault(request.header("X-LiveShard-Delivery"), 0);
    }

    public List<Received> received() {
        return received;
    }

    public List<Received> received(Predicate<Received> condition) {
        return received.stream().filter(condition).toList();
    }

    /** Waits until a request matching {@code condition} arrived and returns the first such. */
    public Received await(Predicate<Received> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received request : received) {
                if (condition.test(request)) {
                    return request;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching webhook request within " + timeout + "; got " + describe());
    }

    public String describe() {
        return received.stream().map(r -> r.path() + " " + r.status() + " " + new String(r.body(),
                StandardCharsets.UTF_8)).toList().toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        JsonNode json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        String delivery = headers.getOrDefault("x-liveshard-delivery", "");
        attempts.merge(delivery, 1, Integer::sum);
        Received request = new Received(exchange.getRequestURI().getPath(), Map.copyOf(headers), body, json, arrived,
                0);
        Answer answer = answers.apply(request);
        received.add(new Received(request.path(), request.headers(), body, json, arrived, answer.status()));
        if (answer.status() == 0) {
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] reply = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), reply.length == 0 ? -1 : reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
