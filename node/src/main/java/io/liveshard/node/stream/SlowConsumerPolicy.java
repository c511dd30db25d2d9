package io.liveshard.node.stream;

import com.typesafe.config.Config;

/**
 * How far a subscriber may fall behind before it loses frames, and how often it may lose them before it is
 * disconnected. A subscriber that overflows loses everything queued up to the next video keyframe (so it resumes
 * with a picture it can decode, at the live edge); the publisher and the other subscribers never wait for it.
 *
 * @param maxQueuedFrames frames a subscriber may have waiting before it overflows
 * @param maxQueuedBytes  payload bytes a subscriber may have waiting before it overflows
 * @param maxDrops        overflows tolerated; the next one disconnects the subscriber
 */
public record SlowConsumerPolicy(int maxQueuedFrames, long maxQueuedBytes, int maxDrops) {

    public SlowConsumerPolicy {
        if (maxQueuedFrames < 1 || maxQueuedBytes < 1 || maxDrops < 0) {
            throw new IllegalArgumentException("slow consumer limits must be positive: " + maxQueuedFrames + " frames, "
                    + maxQueuedBytes + " bytes, " + maxDrops + " drops");
        }
    }

    /** Reads {@code max-queued-frames}, {@code max-queued-bytes} and {@code max-drops} from a config section. */
    public static SlowConsumerPolicy fromConfig(Config config) {
        return new SlowConsumerPolicy(
                config.getInt("max-queued-frames"),
                config.getBytes("max-queued-bytes"),
                config.getInt("max-drops"));
    }
}
