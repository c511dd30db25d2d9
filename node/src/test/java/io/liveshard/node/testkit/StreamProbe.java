package io.liveshard.node.testkit;

import io.liveshard.node.LiveShardNode;
import io.liveshard.node.stream.StreamStatus;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Polls a stream entity's status until a condition holds: "the publisher is live and a GOP is cached". */
public final class StreamProbe {

    private StreamProbe() {}

    public static StreamStatus awaitStatus(LiveShardNode node, StreamKey key, Predicate<StreamStatus> condition,
                                           Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        StreamStatus last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = node.streams().status(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException unanswered) {
                // The stream's shard may be moving between nodes; ask again until the deadline.
                continue;
            }
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("stream " + key + " never became " + what + " within " + timeout + "; last: " + last);
    }

    /** Waits until the stream is published and its GOP cache holds a keyframe's worth of frames. */
    public static StreamStatus awaitLiveWithGop(LiveShardNode node, StreamKey key) throws Exception {
        return awaitStatus(node, key, s -> s.publishing() && s.stats().gopCacheFrames() > 0
                && s.stats().hasAudio() && s.stats().hasVideo(), Duration.ofSeconds(20), "live with a cached GOP");
    }
}
