package io.liveshard.node.flv;

import io.liveshard.node.hooks.HookEvent;
import io.liveshard.node.hooks.HookRequest;
import io.liveshard.node.hooks.Webhooks;
import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.limits.ConnectionLimits;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.metrics.TrafficMeter;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.node.stream.StreamStats;
import io.liveshard.node.stream.SubscriberQueue;
import io.liveshard.node.stream.SubscriberSource;
import io.liveshard.node.stream.WakeUpRelay;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
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
        StreamKey key = viewer.stream();
        String remoteAddress = viewer.clientAddress();
        String viewerId = viewer.clientId();
        String ip = remoteAddress;
        Optional<String> tooMany = connections.tryOpen(ip);
        if (tooMany.isPresent()) {
            metrics.refused("http-flv", "connection-limit");
            log.warn("http-flv {} for {}: refused, {}", key, remoteAddress, tooMany.get());
            return CompletableFuture.completedFuture(HttpResponses.text(StatusCodes.TOO_MANY_REQUESTS,
                    tooMany.get()));
        }
        WakeUpRelay wakeUp = new WakeUpRelay();
        SubscriberQueue queue = new SubscriberQueue(viewerId, streams.settings().slowConsumer(), wakeUp);
        return streams.subscribe(key, queue, "http-flv", waitForPublisher).handle((reply, failure) -> {
            if (failure != null || !(reply instanceof StreamEntity.Subscribed)) {
                connections.close(ip);
            }
            if (reply instanceof StreamEntity.Refused refused) {
                metrics.refused("http-flv", "limit");
                log.warn("http-flv {} for {}: refused, {}", key, remoteAddress, refused.reason());
                return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, refused.reason());
            }
            if (failure != null) {
                streams.unsubscribe(key, queue);
                log.warn("http-flv {} for {}: stream did not answer: {}", key, remoteAddress, failure.toString());
                return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, "stream " + key + " did not answer");
            }
            if (reply instanceof StreamEntity.NotLive notLive) {
                metrics.refused("http-flv", "not-live");
                log.info("http-flv {} for {}: refused, {}", key, remoteAddress, notLive.reason());
                return HttpResponses.text(StatusCodes.NOT_FOUND, notLive.reason());
            }
            StreamStats stats = ((StreamEntity.Subscribed) reply).status().stats();
            boolean anyTrackKnown = stats.hasAudio() || stats.hasVideo();
            FlvEgressEncoder encoder = new FlvEgressEncoder(stats.hasAudio() || !anyTrackKnown,
                    stats.hasVideo() || !anyTrackKnown, metrics.latency(key, "http-flv"));
            log.info("http-flv {}: playing to {}", key, remoteAddress);
            TrafficMeter.Series traffic = metrics.traffic().series(key, "http-flv");
            Source<ByteString, ?> body = Source.fromGraph(new SubscriberSource(queue, wakeUp,
                    frames -> {
                        ByteString bytes = encoder.encode(frames);
                        traffic.sent(bytes.size());
                        return bytes;
                    }, endReason -> {
                        connections.close(ip);
                        streams.unsubscribe(key, queue);
                        hooks.notify(HookEvent.STOP, viewer);
                        metrics.framesDropped("http-flv", queue.framesDropped());
                        if (endReason == SubscriberQueue.EndReason.SLOW_CONSUMER) {
                            log.warn("http-flv {}: disconnected slow viewer {} ({} frames dropped)", key,
                                    remoteAddress, queue.framesDropped());
                        } else {
                            log.info("http-flv {}: viewer {} left ({}, {} frames dropped)", key, remoteAddress,
                                    endReason, queue.framesDropped());
                        }
                    }));
            return HttpResponses.withCors(HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .withEntity(HttpEntities.createChunked(VIDEO_X_FLV, body))
                    .addHeader(CacheControl.create(CacheDirectives.NO_CACHE)));
        });
    }
}
