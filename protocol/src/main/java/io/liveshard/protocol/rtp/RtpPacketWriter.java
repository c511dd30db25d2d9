package io.liveshard.protocol.rtp;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The per-viewer half of RTP sending: puts a viewer's own header (its SSRC, payload type, next sequence number and
 * timestamp offset) in front of a shared {@link RtpPacketizedFrame} payload, in the caller's send buffer. Nothing is
 * allocated per packet. It also keeps the counts an RTCP sender report needs (RFC 3550 6.4.1).
 *
 * <p>One instance per viewer and media track, used by one thread at a time.
 */
public final class RtpPacketWriter {

    private final long ssrc;
    private final int payloadType;
    private final long timestampOffset;

    private int nextSequenceNumber;
    private long lastTimestamp = -1;
    private long packetCount;
    private long octetCount;

    /**
     * @param ssrc                the viewer's SSRC for this track, 32 bits
     * @param payloadType         the payload type the viewer's SDP bound to the codec, 0..127
     * @param firstSequenceNumber the first sequence number, random per RFC 3550 5.1
     * @param timestampOffset     added to every frame timestamp, random per RFC 3550 5.1
     */
    public RtpPacketWriter(long ssrc, int payloadType, int firstSequenceNumber, long timestampOffset) {
        RtpHeader.checkStream(ssrc, payloadType, firstSequenceNumber);
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.nextSequenceNumber = firstSequenceNumber;
        this.timestampOffset = timestampOffset & RtpTimestamps.MASK;
    }

    /**
     * Writes packet {@code index} of {@code frame} at {@code out[offset]} with the next sequence number.
     *
     * @return the packet's length
     * @throws IndexOutOfBoundsException when the packet does not fit {@code out}
     */
    public int write(RtpPacketizedFrame frame, int index, byte[] out, int offset) {
        int length = writePacket(frame, index, nextSequenceNumber, out, offset);
        advance(frame, index);
        return length;
    }

    /**
     * Writes packet {@code index} of {@code frame} at {@code out}'s position, which advances, with the next sequence
     * number.
     *
     * @return the packet's length
     * @throws BufferOverflowException when the packet does not fit {@code out}
     */
    public int write(RtpPacketizedFrame frame, int index, ByteBuffer out) {
        if (out.remaining() < RtpHeader.FIXED_SIZE + frame.payloadLength(index)) {
            throw new BufferOverflowException();
        }
        RtpHeader.write(out, frame.marker(index), payloadType, nextSequenceNumber, viewerTimestamp(frame), ssrc);
        int length = RtpHeader.FIXED_SIZE + frame.copyPayload(index, out);
        advance(frame, index);
        return length;
    }

    /**
     * Writes packet {@code index} of {@code frame} again with the sequence number it was first sent with, to answer
     * a NACK (RFC 4585 6.2.1) on the original stream. The sequence counter does not move; the sender report counts
     * grow, since they count every packet sent (RFC 3550 6.4.1).
     *
     * @return the packet's length
     */
    public int writeRetransmission(RtpPacketizedFrame frame, int index, int sequenceNumber, byte[] out, int offset) {
        int length = writePacket(frame, index, sequenceNumber, out, offset);
        packetCount++;
        octetCount += frame.payloadLength(index);
        return length;
    }

    /** The sequence number the next {@link #write} will use. */
    public int nextSequenceNumber() {
        return nextSequenceNumber;
    }

    /** The sequence number of the last packet written by {@link #write}. */
    public int lastSequenceNumber() {
        return RtpSequenceNumbers.add(nextSequenceNumber, -1);
    }

    /** The RTP timestamp, offset included, of the last packet written; -1 before the first. */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** Packets sent, for the sender report's 32-bit packet count (which wraps). */
    public long packetCount() {
        return packetCount;
    }

    /** Payload octets sent, for the sender report's 32-bit octet count (which wraps). */
    public long octetCount() {
        return octetCount;
    }

    public long ssrc() {
        return ssrc;
    }

    /** What this viewer adds to every frame timestamp, so a sender report can put "now" in the viewer's clock. */
    public long timestampOffset() {
        return timestampOffset;
    }

    /** The RTP timestamp {@code frame}'s packets carry for this viewer: what an RTX copy of them must carry too. */
    public long timestampOf(RtpPacketizedFrame frame) {
        return viewerTimestamp(frame);
    }

    public int payloadType() {
        return payloadType;
    }

    private int writePacket(RtpPacketizedFrame frame, int index, int sequenceNumber, byte[] out, int offset) {
        int length = RtpHeader.FIXED_SIZE + frame.payloadLength(index);
        Objects.checkFromIndexSize(offset, length, out.length);
        RtpHeader.write(out, offset, frame.marker(index), payloadType, sequenceNumber, viewerTimestamp(frame), ssrc);
        frame.copyPayload(index, out, offset + RtpHeader.FIXED_SIZE);
        return length;
    }

    private long viewerTimestamp(RtpPacketizedFrame frame) {
        return RtpTimestamps.add(frame.timestamp(), timestampOffset);
    }

    private void advance(RtpPacketizedFrame frame, int index) {
        lastTimestamp = viewerTimestamp(frame);
        nextSequenceNumber = RtpSequenceNumbers.next(nextSequenceNumber);
        packetCount++;
        octetCount += frame.payloadLength(index);
    }
}
