package io.liveshard.node.hls;

import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HLS outputs of this node, one per stream that HLS clients ask for. The first request for a stream starts
 * its output (a subscriber of the stream entity); an output nobody asked for during {@code idle-timeout} stops.
 * After a stream ended, its last window (with {@code EXT-X-ENDLIST}) is served until a publisher is back, then a
 * new output continues the media sequence numbers after a discontinuity.
 */
public final class HlsOutputs {

    private static final Logger log = LoggerFactory.getLogger(HlsOutputs.class);

    private final StreamDirectory streams;
    private final HlsSettings settings;
    private final Executor executor;
    private final Map<StreamKey, CompletableFuture<Optional<HlsStreamOutput>>> outputs = new ConcurrentHashMap<>();

    public HlsOutputs(StreamDirectory streams, HlsSettings settings, Executor executor) {
        this.streams = streams;
        this.settings = settings;
        this.executor = executor;
    }

    public HlsSettings settings() {
        return settings;
    }

    /** The running output of a live stream, starting it on the first request; empty when the stream is not live. */
    CompletableFuture<Optional<HlsStreamOutput>> open(StreamKey key) {
        CompletableFuture<Optional<HlsStreamOutput>> started = new CompletableFuture<>();
        HlsStreamOutput[] previous = new HlsStreamOutput[1];
        CompletableFuture<Optional<HlsStreamOutput>> current = outputs.compute(key, (k, existing) -> {
            if (existing != null && (!existing.isDone() || existing.join().map(o -> !o.ended()).orElse(false))) {
                return existing;
            }
            previous[0] = existing == null ? null : existing.join().orElse(null);
            return started;
        });
        if (current == started) {
            start(key, previous[0], started);
        }
        return current;
    }

    /** The output of a stream if one runs (or ended recently) on this node. */
    Optional<HlsStreamOutput> existing(StreamKey key) {
        CompletableFuture<Optional<HlsStreamOutput>> output = outputs.get(key);
        return output == null ? Optional.empty() : output.getNow(Optional.empty());
    }

    /** Stops outputs nobody asked for during the idle timeout. Called periodically. */
    public void sweep() {
        long now = System.nanoTime();
        long idleNanos = settings.idleTimeout().toNanos();
        for (Map.Entry<StreamKey, CompletableFuture<Optional<HlsStreamOutput>>> entry : outputs.entrySet()) {
            Optional<HlsStreamOutput> output = entry.getValue().getNow(Optional.empty());
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

    private void start(StreamKey key, HlsStreamOutput previous, CompletableFuture<Optional<HlsStreamOutput>> result) {
        long firstSequence = previous == null ? 0 : previous.nextSequence();
        HlsSegmenter segmenter = new HlsSegmenter(key, settings, firstSequence, previous != null);
        HlsStreamOutput output = new HlsStreamOutput(key, segmenter, streams.settings().slowConsumer(), executor);
        streams.subscribe(key, output.queue(), "hls", Duration.ZERO).whenComplete((reply, failure) -> {
            if (failure == null && reply instanceof StreamEntity.Subscribed) {
                log.info("hls {}: output started", key);
                result.complete(Optional.of(output));
                return;
            }
            streams.unsubscribe(key, output.queue());
            if (previous != null && previous.window().ended()) {
                result.complete(Optional.of(previous));
            } else {
                outputs.remove(key, result);
                if (failure != null) {
                    log.warn("hls {}: stream did not answer: {}", key, failure.toString());
                }
                result.complete(Optional.empty());
            }
        });
    }

    private void stop(HlsStreamOutput output, String why) {
        log.info("hls {}: output stopped, {}", output.key(), why);
        output.queue().cancel();
        streams.unsubscribe(output.key(), output.queue());
    }
}
