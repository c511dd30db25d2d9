package io.liveshard.node.transcode;

/**
 * One Opus packet from the transcoder.
 *
 * @param data        the packet (RFC 6716), owned by the receiver
 * @param timestamp   its first sample in the 48 kHz clock: the source's millisecond timestamps times 48, minus the
 *                    encoder's look-ahead (so that decoded samples line up with the source's clock)
 * @param ingestNanos ingest time of the newest source frame in it, for latency
 */
public record OpusPacket(byte[] data, long timestamp, long ingestNanos) {
}
