package io.liveshard.node.hls;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HLS outputs of this node, one per stream that HLS clients ask for. The first request for a stream starts
 * its output (a subscriber of the stream entity); an output nobody asked for during {@code idle-timeout} stops.
 * After a stream ended, its last window (with {@code EXT-X-ENDLIST}) is served until a publisher is back, then a
 * new output continues the media sequence numbers after a discontinuity.
 */
public final class HlsOutputs<M extends HlsMuxing> {

    private static final Logger log = LoggerFactory.getLogger(HlsOutputs.class);

    private final StreamDirectory streams;
    private final HlsSettings settings;
    private final Executor executor;
    private final NodeMetrics metrics;
    private final String protocol;
    private final HlsMuxing.Factory<M> factory;
    private final Map<StreamKey, CompletableFuture<Optional<HlsStreamOutput<M>>>> outputs = new ConcurrentHashMap<>();

    /**
     * @param protocol the name the stream entity counts these outputs under ("hls", "ll-hls")
     * @param factory  makes the segmenter of a new output
     */
    HlsOutputs(StreamDirectory streams, HlsSettings settings, Executor executor, NodeMetrics metrics, String protocol,
               HlsMuxing.Factory<M> factory) {
        this.streams = streams;
        this.metrics = metrics;
        this.settings = settings;
        this.executor = executor;
        this.protocol = protocol;
        this.factory = factory;
    }

    /** Low-Latency HLS: fMP4 parts and segments. */
    public static HlsOutputs<LlHlsSegmenter> lowLatency(StreamDirectory streams, HlsSettings settings,
                                                        LlHlsSettings llSettings, Executor executor,
                                                        NodeMetrics metrics) {
        return new HlsOutputs<>(streams, settings, executor, metrics, "ll-hls",
                (key, firstSequence, discontinuity) -> new LlHlsSegmenter(key, llSettings, firstSequence,
                        discontinuity));
    }

    /** Classic HLS: MPEG-TS segments. */
    public static HlsOutputs<HlsSegmenter> classic(StreamDirectory streams, HlsSettings settings, Executor executor,
                                                   NodeMetrics metrics) {
        return new HlsOutputs<>(streams, settings, executor, metrics, "hls",
                (key, firstSequence, discontinuity) -> new HlsSegmenter(key, settings, firstSequence, discontinuity));
    }

    public HlsSettings settings() {
        return settings;
    }

    /** The running output of a live stream, starting it on the first request; empty when the stream is not live. */
    CompletableFuture<Optional<HlsStreamOutput<M>>> open(StreamKey key) {
        CompletableFuture<Optional<HlsStreamOutput<M>>> started = new CompletableFuture<>();
        List<HlsStreamOutput<M>> previous = new ArrayList<>(1);
        CompletableFuture<Optional<HlsStreamOutput<M>>> current = outputs.compute(key, (k, existing) -> {
            if (existing != null && (!existing.isDone() || existing.join().map(o -> !o.ended()).orElse(false))) {
                return existing;
            }
            if (existing != null) {
                existing.join().ifPresent(previous::add);
            }
            return started;
        });
        if (current == started) {
            start(key, previous.isEmpty() ? null : previous.get(0), started);
        }
        return current;
    }

    /**
     * The answer to a client of a stream that gave no output ({@link #open} was empty): 403 with the operator's
     * forbid, else 404; counted and logged either way.
     */
    HttpResponse refusal(StreamKey key, String client) {
        Optional<String> forbidden = streams.forbidden(key);
        if (forbidden.isPresent()) {
            metrics.refused(protocol, "forbidden");
            log.warn("{} {} for {}: refused, {}", protocol, key, client, forbidden.get());
            return HttpResponses.text(StatusCodes.FORBIDDEN, forbidden.get());
        }
        Optional<String> unavailable = streams.notServing();
        if (unavailable.isPresent()) {
            metrics.refused(protocol, "unavailable");
            log.warn("{} {} for {}: refused, {}", protocol, key, client, unavailable.get());
            return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, unavailable.get());
        }
        metrics.refused(protocol, "not-live");
        log.info("{} {} for {}: refused, stream is not live", protocol, key, client);
        return HttpResponses.text(StatusCodes.NOT_FOUND, "stream " + key + " is not live");
    }

    /** The output of a stream if one runs (or ended recently) on this node. */
    Optional<HlsStreamOutput<M>> existing(StreamKey key) {
        CompletableFuture<Optional<HlsStreamOutput<M>>> output = outputs.get(key);
        return output == null ? Optional.empty() : output.getNow(Optional.empty());
    }

    /** Stops outputs nobody asked for during the idle timeout. Called periodically. */
    public void sweep() {
        long now = System.nanoTime();
        long idleNanos = settings.idleTimeout().toNanos();
        for (Map.Entry<StreamKey, CompletableFuture<Optional<HlsStreamOutput<M>>>> entry : outputs.entrySet()) {
            Optional<HlsStreamOutput<M>> output = entry.getValue().getNow(Optional.empty());
            if (output.isPresent() && now - output.get().lastRequestNanos() > idleNanos
                    && outputs.remove(entry.getKey(), entry.getValue())) {
                stop(output.get(), "no HLS request for " + settings.idleTimeout().toSeconds() + " s");
            }
        }
    }

    /** HLS clients of a stream seen within the viewer window. */
    public int viewers(StreamKey key) {
        return existing(key).map(o -> o.viewers(settings.viewerWindow().toNanos())).orElse(0);
    }

    private void start(StreamKey key, HlsStreamOutput<M> previous,
                       CompletableFuture<Optional<HlsStreamOutput<M>>> result) {
        long firstSequence = previous == null ? 0 : previous.nextSequence();
        M muxing = factory.create(key, firstSequence, previous != null);
        HlsStreamOutput<M> output = new HlsStreamOutput<>(key, muxing, streams.settings().slowConsumer(), executor,
                metrics.latency(key, protocol), metrics.traffic().series(key, protocol));
        streams.subscribe(key, output.queue(), protocol, Duration.ZERO).whenComplete((reply, failure) -> {
            if (failure == null && reply instanceof StreamEntity.Subscribed) {
                log.info("{} {}: output started", protocol, key);
                result.complete(Optional.of(output));
                return;
            }
            streams.unsubscribe(key, output.queue());
            output.stopped();
            if (previous != null && previous.muxing().ended()) {
                result.complete(Optional.of(previous));
            } else {
                outputs.remove(key, result);
                if (failure != null) {
                    log.warn("{} {}: stream did not answer: {}", protocol, key, failure.toString());
                }
                result.complete(Optional.empty());
            }
        });
    }

    private void stop(HlsStreamOutput<M> output, String why) {
        log.info("{} {}: output stopped, {}", protocol, output.key(), why);
        output.queue().cancel();
        streams.unsubscribe(output.key(), output.queue());
        output.stopped();
    }
}
