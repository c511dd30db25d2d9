package io.liveshard.node.hooks;

import io.liveshard.node.metrics.NodeMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's webhooks ({@code liveshard.hooks}): signed JSON POSTs to the configured URLs when a client publishes,
 * unpublishes, plays or stops. Publish and play wait for the hooks' decision, once, without retries; unpublish and
 * stop are fire-and-forget and retried with backoff. Every request runs asynchronously on the JDK HTTP client with
 * a timeout, and at most {@code max-in-flight} at once, so a slow or dead hook server costs the node a bounded
 * number of sockets and never a thread: a decision that cannot be had (timeout, connection failure, 5xx, no free
 * slot) follows the event's fail policy. An event without URLs is never sent and costs nothing.
 */
public final class Webhooks {

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    public static final String EVENT_HEADER = "X-LiveShard-Event";
    /** The same for every attempt of one event's delivery to one URL, so that receivers can drop repeats. */
    public static final String DELIVERY_HEADER = "X-LiveShard-Delivery";

    private final HookSettings settings;
    private final NodeMetrics metrics;
    private final String node;
    /** Null when no event has URLs. */
    private final HttpClient client;
    private final HookSigner signer;
    private final Semaphore slots;
    private final RecentHlsViewers hlsViewers;

    /** @param node the node's name in every request's {@code node} field */
    public Webhooks(HookSettings settings, NodeMetrics metrics, String node) {
        this.settings = settings;
        this.metrics = metrics;
        this.node = node;
        boolean any = !settings.urls().isEmpty();
        this.client = any ? HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build() : null;
        this.signer = any ? new HookSigner(settings.secret()) : null;
        this.slots = new Semaphore(settings.maxInFlight());
        this.hlsViewers = new RecentHlsViewers(settings.hlsViewerWindow().toNanos(), settings.maxHlsViewers());
    }

    public static Webhooks none(NodeMetrics metrics) {
        return new Webhooks(HookSettings.none(), metrics, "");
    }

    public boolean enabled(HookEvent event) {
        return !settings.urls(event).isEmpty();
    }

    /**
     * Asks every URL of {@code event} (publish or play) whether {@code request} may go on; denied when any of them
     * denies. Completes within the timeout, never exceptionally, on a thread of the HTTP client: call sites hand the
     * answer to their own stage or actor.
     */
    public CompletionStage<HookDecision> decide(HookEvent event, HookRequest request) {
        if (!event.decision()) {
            throw new IllegalArgumentException(event + " is a notification, not a decision");
        }
        List<URI> urls = settings.urls(event);
        if (urls.isEmpty()) {
            return CompletableFuture.completedFuture(HookDecision.ALLOW);
        }
        byte[] body = request.json(event, node, System.currentTimeMillis());
        List<CompletableFuture<HookDecision>> answers = urls.stream()
                .map(url -> send(event, url, body, UUID.randomUUID().toString())
                        .handle((response, failure) -> decision(event, request, url, response, failure)))
                .toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(all -> {
            for (CompletableFuture<HookDecision> answer : answers) {
                HookDecision decision = answer.join();
                if (!decision.allowed()) {
                    metrics.refused(request.protocol(), "webhook");
                    log.warn("{} {} {} from {}: refused by the webhook policy, {}", request.protocol(), event.wireName(),
                            request.stream(), request.clientAddress(), decision.reason());
                    return decision;
                }
            }
            return HookDecision.ALLOW;
        });
    }

    /**
     * The play decision for an HLS or LL-HLS playlist request from {@code viewer} (address and user agent): asked
     * only for a client not allowed within the viewer window; its later playlist requests pass at once.
     */
    public CompletionStage<HookDecision> decidePlaylist(HookRequest request, String viewer) {
        if (!enabled(HookEvent.PLAY)) {
            return CompletableFuture.completedFuture(HookDecision.ALLOW);
        }
        String key = request.protocol() + " " + request.stream().id() + " " + viewer;
        if (hlsViewers.refresh(key, System.nanoTime())) {
            return CompletableFuture.completedFuture(HookDecision.ALLOW);
        }
        return decide(HookEvent.PLAY, request).thenApply(decision -> {
            if (decision.allowed()) {
                hlsViewers.allowed(key, System.nanoTime());
            }
            return decision;
        });
    }

    /** Reports {@code event} (unpublish or stop) to every URL of it, retrying failed deliveries; returns at once. */
    public void notify(HookEvent event, HookRequest request) {
        if (event.decision()) {
            throw new IllegalArgumentException(event + " is a decision, not a notification");
        }
        List<URI> urls = settings.urls(event);
        if (urls.isEmpty()) {
            return;
        }
        byte[] body = request.json(event, node, System.currentTimeMillis());
        for (URI url : urls) {
            deliver(event, request, url, body, UUID.randomUUID().toString(), 0);
        }
    }

    private void deliver(HookEvent event, HookRequest request, URI url, byte[] body, String delivery, int attempt) {
        send(event, url, body, delivery).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                return;
            }
            String problem = failure != null ? describe(failure) : "HTTP " + response.statusCode();
            if (attempt >= settings.retries()) {
                log.warn("{} {} {} from {}: webhook {} not delivered after {} attempts, last: {}", request.protocol(),
                        event.wireName(), request.stream(), request.clientAddress(), url, attempt + 1, problem);
                return;
            }
            long backoffMillis = settings.retryBackoff().toMillis() << Math.min(attempt, 16);
            log.info("{} {} {}: webhook {} failed ({}), retrying in {} ms", request.protocol(), event.wireName(),
                    request.stream(), url, problem, backoffMillis);
            CompletableFuture.delayedExecutor(backoffMillis, TimeUnit.MILLISECONDS)
                    .execute(() -> deliver(event, request, url, body, delivery, attempt + 1));
        });
    }

    /**
     * One signed POST, completing within the timeout. Takes a slot for as long as the exchange really runs (a
     * timed-out exchange is cancelled); fails at once when none is free.
     */
    private CompletableFuture<HttpResponse<byte[]>> send(HookEvent event, URI url, byte[] body, String delivery) {
        if (!slots.tryAcquire()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    settings.maxInFlight() + " webhook requests already in flight"));
        }
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "LiveShard-Webhooks")
                .header(EVENT_HEADER, event.wireName())
                .header(DELIVERY_HEADER, delivery)
                .header(HookSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(HookSigner.SIGNATURE_HEADER, signer.signature(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            slots.release();
            return CompletableFuture.failedFuture(e);
        }
        exchange.whenComplete((response, failure) -> slots.release());
        return exchange.copy().orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        exchange.cancel(true);
                    }
                });
    }

    private HookDecision decision(HookEvent event, HookRequest request, URI url, HttpResponse<byte[]> response,
                                  Throwable failure) {
        if (failure == null && response.statusCode() < 500) {
            return HookDecision.fromResponse(event, response.statusCode(), response.body());
        }
        String problem = failure != null ? describe(failure) : "HTTP " + response.statusCode();
        boolean open = settings.failOpen(event);
        log.warn("{} {} {} from {}: webhook {} failed ({}), {} as configured", request.protocol(), event.wireName(),
                request.stream(), request.clientAddress(), url, problem, open ? "allowing" : "refusing");
        return open ? HookDecision.ALLOW : HookDecision.deny(event.wireName() + " webhook unavailable");
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return "no answer within the timeout";
        }
        return cause.toString();
    }
}
