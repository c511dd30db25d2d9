package io.liveshard.node.stream;

import io.liveshard.protocol.media.StreamKey;
import java.util.Map;

/**
 * A stream entity's answer to {@link StreamEntity.GetStatus}.
 *
 * @param key              the stream
 * @param publishing       a publisher is connected
 * @param inGrace          the publisher left and the grace period is running
 * @param publisherAddress the publisher's remote address, or null
 * @param viewers          attached viewers by protocol name ("rtmp", "http-flv", ...)
 * @param stats            the fan-out's counters
 * @param liveSinceMillis  wall-clock time the stream went live (a publisher resuming within the grace period keeps
 *                         it), 0 when not live
 */
public record StreamStatus(
        StreamKey key,
        boolean publishing,
        boolean inGrace,
        String publisherAddress,
        Map<String, Integer> viewers,
        StreamStats stats,
        long liveSinceMillis) {

    public boolean live() {
        return publishing || inGrace;
    }
}
