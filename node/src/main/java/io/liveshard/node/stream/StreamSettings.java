package io.liveshard.node.stream;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The stream entity's settings, from {@code liveshard.stream}.
 *
 * @param publisherGrace   how long viewers stay attached after the publisher left, waiting for it to come back
 * @param idlePassivation  how long an entity with no publisher, no viewers and nobody waiting stays in memory
 * @param viewerSweepInterval how often the entity forgets viewers whose queue ended without them saying goodbye
 * @param gopMaxFrames     GOP cache bound in frames
 * @param gopMaxBytes      GOP cache bound in tag body bytes
 * @param slowConsumer     per-subscriber queue bounds and drop tolerance
 */
public record StreamSettings(
        Duration publisherGrace,
        Duration idlePassivation,
        Duration viewerSweepInterval,
        int gopMaxFrames,
        long gopMaxBytes,
        SlowConsumerPolicy slowConsumer) {

    /** Reads the {@code liveshard.stream} section. */
    public static StreamSettings fromConfig(Config stream) {
        return new StreamSettings(
                stream.getDuration("publisher-grace"),
                stream.getDuration("idle-passivation"),
                stream.getDuration("viewer-sweep-interval"),
                stream.getInt("gop-cache.max-frames"),
                stream.getBytes("gop-cache.max-bytes"),
                SlowConsumerPolicy.fromConfig(stream.getConfig("subscriber")));
    }
}
