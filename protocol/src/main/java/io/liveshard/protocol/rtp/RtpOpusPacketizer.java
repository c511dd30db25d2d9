package io.liveshard.protocol.rtp;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;

/**
 * Packetizes Opus for RTP (RFC 7587): one Opus packet per RTP packet (4.2), timestamps in the 48 kHz clock whatever
 * the encoder's rate (4.1). The marker bit stays clear: RFC 7587 4.2 sets it only on the first packet after a DTX
 * silence, and LiveShard's Opus encoder runs without DTX.
 *
 * <p>One instance per stream, used by one thread at a time.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7587">RFC 7587</a>
 */
public final class RtpOpusPacketizer {

    private final int maxPayloadSize;
    private final RtpPacketizedFrame.Builder builder = new RtpPacketizedFrame.Builder();

    public RtpOpusPacketizer(RtpPacketizerConfig config) {
        this.maxPayloadSize = config.maxPayloadSize();
    }

    /**
     * Packetizes one Opus packet. The result refers to {@code frame}'s body.
     *
     * @throws IllegalArgumentException when the frame is not Opus audio or is a configuration frame
     * @throws RtpException             when the packet is empty (it needs at least its TOC byte, RFC 6716 3.1) or
     *                                  larger than the maximum payload: Opus packets are never fragmented
     */
    public RtpPacketizedFrame packetize(MediaFrame frame) throws RtpException {
        if (frame.codec() != MediaCodec.OPUS || frame.config()) {
            throw new IllegalArgumentException("not an Opus packet: " + frame);
        }
        int length = frame.payloadLength();
        return packetize(frame.body(), frame.payloadOffset(), length,
                RtpTimestamps.fromMillis(frame.pts(), RtpTimestamps.OPUS_CLOCK_RATE), frame.ingestNanos());
    }

    /**
     * Packetizes one Opus packet whose timestamp is already in the 48 kHz clock: what an encoder produces, whose
     * packets start a look-ahead before a whole millisecond. The result refers to {@code packet}.
     *
     * @param timestamp   the RTP timestamp (48 kHz), wrapped to 32 bits here
     * @param ingestNanos the ingest time of the source audio, for latency
     * @throws RtpException when the packet is empty or larger than the maximum payload
     */
    public RtpPacketizedFrame packetize(byte[] packet, int offset, int length, long timestamp, long ingestNanos)
            throws RtpException {
        if (length <= 0 || length > maxPayloadSize) {
            throw new RtpException("Opus packet of " + length + " bytes outside 1.." + maxPayloadSize);
        }
        builder.start(timestamp & RtpTimestamps.MASK, false, ingestNanos);
        builder.add(packet, offset, length);
        return builder.build();
    }
}
