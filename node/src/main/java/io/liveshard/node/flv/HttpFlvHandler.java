package io.liveshard.node.flv;

import io.liveshard.node.hooks.HookEvent;
import io.liveshard.node.hooks.HookRequest;
import io.liveshard.node.hooks.Webhooks;
import io.liveshard.node.http.HttpChunks;
import io.liveshard.node.http.HttpResponseHead;
import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.limits.ConnectionLimits;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.metrics.TrafficMeter;
import io.liveshard.node.net.TcpConnection;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.node.stream.StreamStats;
import io.liveshard.node.stream.SubscriberEgress;
import io.liveshard.node.stream.SubscriberQueue;
import io.liveshard.node.stream.SubscriberSource;
import io.liveshard.node.stream.WakeUpRelay;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /{app}/{stream}.flv}: the stream as an endless FLV file in a chunked response. The viewer gets the FLV
 * header, metadata, codec configs and the cached GOP at once, then live tags; CORS headers let players on other
 * origins (mpegts.js, flv.js) read it. When a viewer that got the stream leaves, the stop webhooks are told.
 */
public final class HttpFlvHandler {

    private static final Logger log = LoggerFactory.getLogger(HttpFlvHandler.class);
    private static final ContentType VIDEO_X_FLV =
            ContentTypes.create(MediaTypes.customBinary("video", "x-flv", false));
    private static final AtomicLong VIEWER_IDS = new AtomicLong();
    /** What {@link #playDirectly} answers once the viewer is playing: the response is on its way already. */
    public static final HttpResponse PLAYING_DIRECTLY = HttpResponse.create();

    private final StreamDirectory streams;
    private final Duration waitForPublisher;
    private final NodeMetrics metrics;
    /** HTTP-FLV viewers count against the per-address connection limits, like RTMP connections. */
    private final ConnectionLimits connections;
    private final Webhooks hooks;

    public HttpFlvHandler(StreamDirectory streams, Duration waitForPublisher, NodeMetrics metrics, Webhooks hooks,
                          ConnectionLimits connections) {
        this.connections = connections;
        this.streams = streams;
        this.hooks = hooks;
        this.waitForPublisher = waitForPublisher;
        this.metrics = metrics;
    }

    /** A new viewer's id, unique on this node: the client id of its play and stop webhooks. */
    public static String newViewerId(String remoteAddress) {
        return "flv-" + VIEWER_IDS.incrementAndGet() + "@" + remoteAddress;
    }

    /** Plays {@code viewer.stream()} to the viewer {@code viewer.clientId()} (from {@link #newViewerId}). */
    public CompletionStage<HttpResponse> play(HookRequest viewer) {
        WakeUpRelay wakeUp = new WakeUpRelay();
        return subscribe(viewer, wakeUp).thenApply(subscribed -> subscribed.refusal().orElseGet(() -> {
            AcceptedViewer accepted = subscribed.viewer();
            Source<ByteString, ?> body = Source.fromGraph(new SubscriberSource(accepted.queue(), wakeUp,
                    accepted::encode, accepted::ended));
            return okResponse().withEntity(HttpEntities.createChunked(VIDEO_X_FLV, body));
        }));
    }

    /**
     * Plays to a viewer whose connection carries nothing else (its first request asks for the stream): the
     * response goes straight out of the connection's event loop. Answers {@link #PLAYING_DIRECTLY} once playing,
     * or the refusal, which the caller writes.
     */
    public CompletionStage<HttpResponse> playDirectly(HookRequest viewer, TcpConnection connection) {
        return subscribe(viewer, connection.egressWakeUp()).thenApply(subscribed -> {
            if (subscribed.refusal().isPresent()) {
                return subscribed.refusal().get();
            }
            AcceptedViewer accepted = subscribed.viewer();
            connection.send(HttpResponseHead.chunked(okResponse().withEntity(VIDEO_X_FLV, new byte[0])));
            connection.startEgress(new SubscriberEgress(accepted.queue(), connection.clock(),
                    frames -> HttpChunks.chunk(accepted.encode(frames)), endReason -> {
                        accepted.ended(endReason);
                        if (endReason == SubscriberQueue.EndReason.SLOW_CONSUMER) {
                            connection.abort();
                            return;
                        }
                        if (endReason == SubscriberQueue.EndReason.END_OF_STREAM) {
                            connection.send(HttpChunks.LAST_CHUNK);
                        }
                        connection.closeWhenFlushed();
                    }));
            return PLAYING_DIRECTLY;
        });
    }

    private static HttpResponse okResponse() {
        return HttpResponses.withCors(HttpResponse.create()
                .withStatus(StatusCodes.OK)
                .addHeader(CacheControl.create(CacheDirectives.NO_CACHE)));
    }

    /** A subscription's outcome: a refusal to answer, or a viewer to play to. */
    private record Subscribed(Optional<HttpResponse> refusal, AcceptedViewer viewer) {}

    private CompletionStage<Subscribed> subscribe(HookRequest viewer, Runnable wakeUp) {
        StreamKey key = viewer.stream();
        String remoteAddress = viewer.clientAddress();
        String ip = remoteAddress;
        Optional<String> tooMany = connections.tryOpen(ip);
        if (tooMany.isPresent()) {
            metrics.refused("http-flv", "connection-limit");
            log.warn("http-flv {} for {}: refused, {}", key, remoteAddress, tooMany.get());
            return CompletableFuture.completedFuture(refused(HttpResponses.text(StatusCodes.TOO_MANY_REQUESTS,
                    tooMany.get())));
        }
        Optional<String> forbidden = streams.forbidden(key);
        if (forbidden.isPresent()) {
            connections.close(ip);
            metrics.refused("http-flv", "forbidden");
            log.warn("http-flv {} for {}: refused, {}", key, remoteAddress, forbidden.get());
            return CompletableFuture.completedFuture(refused(HttpResponses.text(StatusCodes.FORBIDDEN,
                    forbidden.get())));
        }
        SubscriberQueue queue = new SubscriberQueue(viewer.clientId(), streams.settings().slowConsumer(), wakeUp);
        return streams.subscribe(key, queue, "http-flv", waitForPublisher).handle((reply, failure) -> {
            if (failure != null || !(reply instanceof StreamEntity.Subscribed)) {
                connections.close(ip);
            }
            if (reply instanceof StreamEntity.Refused refused) {
                metrics.refused("http-flv", refused.cause());
                log.warn("http-flv {} for {}: refused, {}", key, remoteAddress, refused.reason());
                return refused(HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, refused.reason()));
            }
            if (failure != null) {
                streams.unsubscribe(key, queue);
                log.warn("http-flv {} for {}: stream did not answer: {}", key, remoteAddress, failure.toString());
                return refused(HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, "stream " + key
                        + " did not answer"));
            }
            if (reply instanceof StreamEntity.NotLive notLive) {
                metrics.refused("http-flv", "not-live");
                log.info("http-flv {} for {}: refused, {}", key, remoteAddress, notLive.reason());
                return refused(HttpResponses.text(StatusCodes.NOT_FOUND, notLive.reason()));
            }
            StreamStats stats = ((StreamEntity.Subscribed) reply).status().stats();
            boolean anyTrackKnown = stats.hasAudio() || stats.hasVideo();
            FlvEgressEncoder encoder = new FlvEgressEncoder(stats.hasAudio() || !anyTrackKnown,
                    stats.hasVideo() || !anyTrackKnown);
            queue.recordLatency(metrics.latency(key, "http-flv"));
            log.info("http-flv {}: playing to {}", key, remoteAddress);
            return new Subscribed(Optional.empty(), new AcceptedViewer(viewer, queue, encoder,
                    metrics.traffic().series(key, "http-flv")));
        });
    }

    private static Subscribed refused(HttpResponse response) {
        return new Subscribed(Optional.of(response), null);
    }

    /** A viewer the stream took: its queue, its encoder, and what to do when it ends. */
    private final class AcceptedViewer {
        private final HookRequest viewer;
        private final SubscriberQueue queue;
        private final FlvEgressEncoder encoder;
        private final TrafficMeter.Series traffic;

        AcceptedViewer(HookRequest viewer, SubscriberQueue queue, FlvEgressEncoder encoder,
                       TrafficMeter.Series traffic) {
            this.viewer = viewer;
            this.queue = queue;
            this.encoder = encoder;
            this.traffic = traffic;
        }

        SubscriberQueue queue() {
            return queue;
        }

        ByteString encode(List<MediaFrame> frames) {
            ByteString bytes = encoder.encode(frames);
            traffic.sent(bytes.size());
            return bytes;
        }

        void ended(SubscriberQueue.EndReason endReason) {
            StreamKey key = viewer.stream();
            connections.close(viewer.clientAddress());
            streams.unsubscribe(key, queue);
            hooks.notify(HookEvent.STOP, viewer);
            metrics.framesDropped("http-flv", queue.framesDropped());
            queue.closeLatency();
            if (endReason == SubscriberQueue.EndReason.SLOW_CONSUMER) {
                log.warn("http-flv {}: disconnected slow viewer {} ({} frames dropped)", key,
                        viewer.clientAddress(), queue.framesDropped());
            } else {
                log.info("http-flv {}: viewer {} left ({}, {} frames dropped)", key, viewer.clientAddress(),
                        endReason, queue.framesDropped());
            }
        }
    }
}
