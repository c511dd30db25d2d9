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
 */
public record StreamStatus(
        StreamKey key,
        boolean publishing,
        boolean inGrace,
        String publisherAddress,
        Map<String, Integer> viewers,
        StreamStats stats) {

    public boolean live() {
        return publishing || inGrace;
    }
}
