package io.liveshard.protocol.rtp;

import java.util.Objects;

/**
 * Writes retransmissions as RTX (RFC 4588): a separate stream with its own SSRC, payload type and sequence numbers,
 * whose payload is the original sequence number (OSN, 2 bytes, network order) followed by the original payload. The
 * timestamp and marker are the original packet's (RFC 4588 section 4). Receivers keep RTX apart from the media
 * stream, so a retransmission never disturbs their loss statistics for it.
 *
 * <p>One instance per viewer and retransmitted track, used by one thread at a time.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4588#section-4">RFC 4588, section 4</a>
 */
public final class RtpRtxWriter {

    /** The original sequence number in front of the payload (RFC 4588 section 4). */
    public static final int OSN_SIZE = 2;

    private final long ssrc;
    private final int payloadType;
    private int nextSequenceNumber;
    private long packetCount;

    /**
     * @param ssrc                the RTX stream's SSRC (announced with a=ssrc-group:FID), 32 bits
     * @param payloadType         the rtx payload type whose apt is the media payload type, 0..127
     * @param firstSequenceNumber the RTX stream's first sequence number, random per RFC 3550 5.1
     */
    public RtpRtxWriter(long ssrc, int payloadType, int firstSequenceNumber) {
        RtpHeader.checkStream(ssrc, payloadType, firstSequenceNumber);
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.nextSequenceNumber = firstSequenceNumber;
    }

    /**
     * Writes packet {@code index} of {@code frame}, first sent as {@code originalSequenceNumber} with
     * {@code originalTimestamp}, as the next RTX packet at {@code out[offset]}.
     *
     * @return the packet's length
     * @throws IndexOutOfBoundsException when the packet does not fit {@code out}
     */
    public int write(RtpPacketizedFrame frame, int index, int originalSequenceNumber, long originalTimestamp,
                     byte[] out, int offset) {
        int length = RtpHeader.FIXED_SIZE + OSN_SIZE + frame.payloadLength(index);
        Objects.checkFromIndexSize(offset, length, out.length);
        RtpHeader.write(out, offset, frame.marker(index), payloadType, nextSequenceNumber, originalTimestamp, ssrc);
        out[offset + RtpHeader.FIXED_SIZE] = (byte) (originalSequenceNumber >>> 8);
        out[offset + RtpHeader.FIXED_SIZE + 1] = (byte) originalSequenceNumber;
        frame.copyPayload(index, out, offset + RtpHeader.FIXED_SIZE + OSN_SIZE);
        nextSequenceNumber = RtpSequenceNumbers.next(nextSequenceNumber);
        packetCount++;
        return length;
    }

    public long ssrc() {
        return ssrc;
    }

    public int payloadType() {
        return payloadType;
    }

    /** RTX packets written. */
    public long packetCount() {
        return packetCount;
    }
}
