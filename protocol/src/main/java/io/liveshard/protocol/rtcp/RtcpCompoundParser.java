package io.liveshard.protocol.rtcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads a compound RTCP packet (one UDP datagram, after SRTCP decryption) into its packets, checking what RFC 3550
 * A.2 checks: version 2 everywhere, lengths that add up to the datagram, padding only on the last packet. Reduced-size
 * RTCP (RFC 5506), which browsers negotiate, lets a datagram start with any packet type, so no first type is required.
 *
 * <p>Reports, BYE, generic NACK, PLI, FIR and REMB become records; every other well-formed packet becomes a
 * {@link RtcpUnknownPacket}. Anything malformed refuses the whole datagram with an {@link RtcpException}; no
 * unchecked exception escapes for any input.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6">RFC 3550, 6 and A.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6">RFC 4585, 6</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4.3.1">RFC 5104, 4.3.1</a>
 */
public final class RtcpCompoundParser {

    /** The common header: V, P, count/FMT, PT, length (RFC 3550 6.4.1). */
    public static final int HEADER_SIZE = 4;

    /** The largest UDP payload over IPv4 (RFC 768, RFC 791): no datagram can hold a longer compound packet. */
    public static final int MAX_COMPOUND_LENGTH = 65_535 - 20 - 8;

    /**
     * Compound packets hold a report, an SDES and a few feedback messages (RFC 3550 6.1); browsers send fewer than
     * ten. The limit bounds the work a hostile datagram of tiny packets can cause.
     */
    public static final int MAX_PACKETS_PER_COMPOUND = 64;

    /** The sender and media source SSRCs that begin every feedback message (RFC 4585 6.1). */
    public static final int FEEDBACK_HEADER_SIZE = 8;

    /** The SSRC and 20-byte sender info before an SR's report blocks (RFC 3550 6.4.1). */
    private static final int SENDER_INFO_SIZE = 24;

    /** The ASCII identifier "REMB" that opens a REMB's FCI (draft-alvestrand-rmcat-remb-03 2.2). */
    private static final int REMB_IDENTIFIER = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';

    /** Identifier, Num SSRC, BR Exp and BR Mantissa (draft-alvestrand-rmcat-remb-03 2.2). */
    private static final int REMB_FIXED_SIZE = 8;

    /** PID and BLP (RFC 4585 6.2.1). */
    private static final int NACK_ENTRY_SIZE = 4;

    /** SSRC, Seq nr. and reserved (RFC 5104 4.3.1.1). */
    private static final int FIR_ENTRY_SIZE = 8;

    private static final int VERSION = 2;

    private RtcpCompoundParser() {
    }

    /**
     * True when the datagram is RTCP rather than RTP on a multiplexed port (RFC 5761 4): RTCP packet types
     * 192..223 sit where RTP's marker bit and payload type would be.
     */
    public static boolean isRtcp(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length < 2) {
            return false;
        }
        int type = data[offset + 1] & 0xFF;
        return type >= 192 && type <= 223;
    }

    /**
     * Reads the compound packet at {@code data[offset, offset + length)}.
     *
     * @throws RtcpException when the datagram is empty, too long or holds too many packets, a packet is truncated,
     *                       has another version than 2 or a length running past the datagram, padding is
     *                       misplaced or miscounted, or a report, BYE, NACK, PLI, FIR or REMB is malformed
     */
    public static List<RtcpPacket> parse(byte[] data, int offset, int length) throws RtcpException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            throw new RtcpException("empty RTCP datagram");
        }
        if (length > MAX_COMPOUND_LENGTH) {
            throw new RtcpException("RTCP datagram of " + length + " bytes exceeds " + MAX_COMPOUND_LENGTH);
        }
        List<RtcpPacket> packets = new ArrayList<>();
        int end = offset + length;
        int position = offset;
        while (position < end) {
            if (packets.size() == MAX_PACKETS_PER_COMPOUND) {
                throw new RtcpException("RTCP compound packet holds more than " + MAX_PACKETS_PER_COMPOUND
                        + " packets");
            }
            int at = position - offset;
            if (end - position < HEADER_SIZE) {
                throw new RtcpException("RTCP header truncated at byte " + at + ": " + (end - position)
                        + " byte(s) left");
            }
            int first = data[position] & 0xFF;
            if (first >>> 6 != VERSION) {
                throw new RtcpException("RTCP version " + (first >>> 6) + " at byte " + at + " is not 2");
            }
            int count = first & 0x1F;
            int type = data[position + 1] & 0xFF;
            int packetLength = 4 * ((((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF)) + 1);
            if (packetLength > end - position) {
                throw new RtcpException("RTCP packet type " + type + " at byte " + at + " claims " + packetLength
                        + " bytes, " + (end - position) + " left");
            }
            int bodyEnd = position + packetLength;
            if ((first & 0x20) != 0) {
                if (bodyEnd != end) {
                    throw new RtcpException("RTCP packet type " + type + " at byte " + at
                            + " is padded but not last (RFC 3550 A.2)");
                }
                int padding = data[bodyEnd - 1] & 0xFF;
                if (padding == 0 || padding > packetLength - HEADER_SIZE) {
                    throw new RtcpException("RTCP packet type " + type + " at byte " + at + " has padding count "
                            + padding + " for a body of " + (packetLength - HEADER_SIZE) + " bytes");
                }
                bodyEnd -= padding;
            }
            packets.add(parsePacket(new Body(data, position + HEADER_SIZE, bodyEnd, type, at), count, packetLength));
            position += packetLength;
        }
        return packets;
    }

    private static RtcpPacket parsePacket(Body body, int count, int packetLength) throws RtcpException {
        if (!RtcpPacketType.isKnown(body.type)) {
            return new RtcpUnknownPacket(body.type, count, packetLength);
        }
        return switch (RtcpPacketType.fromCode(body.type)) {
            case SENDER_REPORT -> senderReport(body, count);
            case RECEIVER_REPORT -> receiverReport(body, count);
            case BYE -> bye(body, count);
            case TRANSPORT_FEEDBACK -> count == RtcpFeedbackFormat.GENERIC_NACK.code()
                    ? genericNack(body) : unknownFeedback(body, count, packetLength);
            case PAYLOAD_FEEDBACK -> payloadFeedback(body, count, packetLength);
            case SOURCE_DESCRIPTION, APPLICATION, EXTENDED_REPORT -> new RtcpUnknownPacket(body.type, count,
                    packetLength);
        };
    }

    private static RtcpSenderReport senderReport(Body body, int count) throws RtcpException {
        // Profile-specific extensions may follow the report blocks (RFC 3550 6.4.1); they are ignored.
        body.require(SENDER_INFO_SIZE + count * RtcpReportBlock.SIZE, "sender report with " + count + " blocks");
        int at = body.start;
        long ntp = (body.u32(at + 4) << 32) | body.u32(at + 8);
        return new RtcpSenderReport(body.u32(at), ntp, body.u32(at + 12), body.u32(at + 16), body.u32(at + 20),
                reportBlocks(body, at + SENDER_INFO_SIZE, count));
    }

    private static RtcpReceiverReport receiverReport(Body body, int count) throws RtcpException {
        body.require(4 + count * RtcpReportBlock.SIZE, "receiver report with " + count + " blocks");
        return new RtcpReceiverReport(body.u32(body.start), reportBlocks(body, body.start + 4, count));
    }

    private static List<RtcpReportBlock> reportBlocks(Body body, int start, int count) {
        List<RtcpReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = start + i * RtcpReportBlock.SIZE;
            long lost = body.u32(at + 4);
            int cumulative = ((int) lost << 8) >> 8; // a signed 24-bit field
            blocks.add(new RtcpReportBlock(body.u32(at), (int) (lost >>> 24), cumulative, body.u32(at + 8),
                    body.u32(at + 12), body.u32(at + 16), body.u32(at + 20)));
        }
        return blocks;
    }

    private static RtcpBye bye(Body body, int count) throws RtcpException {
        body.require(4 * count, "BYE with " + count + " sources");
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(body.u32(body.start + 4 * i));
        }
        return new RtcpBye(ssrcs);
    }

    private static RtcpGenericNack genericNack(Body body) throws RtcpException {
        int fci = body.feedbackControlInformation("generic NACK");
        if (fci == 0 || fci % NACK_ENTRY_SIZE != 0) {
            throw body.error("generic NACK FCI of " + fci + " bytes is not one or more 4-byte entries");
        }
        int entries = fci / NACK_ENTRY_SIZE;
        int[] lost = new int[entries * 17];
        int found = 0;
        for (int i = 0; i < entries; i++) {
            int at = body.start + FEEDBACK_HEADER_SIZE + i * NACK_ENTRY_SIZE;
            int pid = body.u16(at);
            int blp = body.u16(at + 2);
            lost[found++] = pid;
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    lost[found++] = (pid + bit + 1) & 0xFFFF;
                }
            }
        }
        return new RtcpGenericNack(body.u32(body.start), body.u32(body.start + 4),
                Arrays.copyOf(lost, found));
    }

    private static RtcpPacket payloadFeedback(Body body, int format, int packetLength) throws RtcpException {
        if (format == RtcpFeedbackFormat.PICTURE_LOSS_INDICATION.code()) {
            int fci = body.feedbackControlInformation("PLI");
            if (fci != 0) {
                throw body.error("PLI carries " + fci + " bytes of FCI; it has none (RFC 4585 6.3.1)");
            }
            return new RtcpPictureLossIndication(body.u32(body.start), body.u32(body.start + 4));
        }
        if (format == RtcpFeedbackFormat.FULL_INTRA_REQUEST.code()) {
            return fullIntraRequest(body);
        }
        if (format == RtcpFeedbackFormat.APPLICATION_LAYER.code()
                && body.end - body.start >= FEEDBACK_HEADER_SIZE + 4
                && body.u32(body.start + FEEDBACK_HEADER_SIZE) == REMB_IDENTIFIER) {
            return remb(body);
        }
        return unknownFeedback(body, format, packetLength);
    }

    private static RtcpFullIntraRequest fullIntraRequest(Body body) throws RtcpException {
        int fci = body.feedbackControlInformation("FIR");
        if (fci == 0 || fci % FIR_ENTRY_SIZE != 0) {
            throw body.error("FIR FCI of " + fci + " bytes is not one or more 8-byte entries");
        }
        List<RtcpFullIntraRequest.Request> requests = new ArrayList<>(fci / FIR_ENTRY_SIZE);
        for (int at = body.start + FEEDBACK_HEADER_SIZE; at < body.start + FEEDBACK_HEADER_SIZE + fci;
             at += FIR_ENTRY_SIZE) {
            requests.add(new RtcpFullIntraRequest.Request(body.u32(at), body.data[at + 4] & 0xFF));
        }
        return new RtcpFullIntraRequest(body.u32(body.start), requests);
    }

    private static RtcpRemb remb(Body body) throws RtcpException {
        int fci = body.feedbackControlInformation("REMB");
        int at = body.start + FEEDBACK_HEADER_SIZE;
        if (fci < REMB_FIXED_SIZE) {
            throw body.error("REMB FCI of " + fci + " bytes is shorter than " + REMB_FIXED_SIZE);
        }
        int ssrcCount = body.data[at + 4] & 0xFF;
        if (fci != REMB_FIXED_SIZE + 4 * ssrcCount) {
            throw body.error("REMB FCI of " + fci + " bytes does not hold the " + ssrcCount + " SSRCs it announces");
        }
        long expAndMantissa = body.u32(at + 4) & 0xFF_FFFF;
        int exponent = (int) (expAndMantissa >>> 18);
        long mantissa = expAndMantissa & 0x3_FFFF;
        boolean overflows = mantissa != 0 && exponent > Long.numberOfLeadingZeros(mantissa) - 1;
        long bitrate = overflows ? Long.MAX_VALUE : mantissa << exponent;
        List<Long> ssrcs = new ArrayList<>(ssrcCount);
        for (int i = 0; i < ssrcCount; i++) {
            ssrcs.add(body.u32(at + REMB_FIXED_SIZE + 4 * i));
        }
        return new RtcpRemb(body.u32(body.start), bitrate, ssrcs);
    }

    private static RtcpUnknownPacket unknownFeedback(Body body, int format, int packetLength) throws RtcpException {
        body.feedbackControlInformation("feedback format " + format);
        return new RtcpUnknownPacket(body.type, format, packetLength);
    }

    /** The body of one packet, after the common header and without padding, with checked reads. */
    private record Body(byte[] data, int start, int end, int type, int at) {

        void require(int size, String what) throws RtcpException {
            if (end - start < size) {
                throw error(what + " needs " + size + " bytes after the header, has " + (end - start));
            }
        }

        /** Checks the feedback header is there; returns the FCI's length. */
        int feedbackControlInformation(String what) throws RtcpException {
            require(FEEDBACK_HEADER_SIZE, what);
            return end - start - FEEDBACK_HEADER_SIZE;
        }

        RtcpException error(String message) {
            return new RtcpException("RTCP packet type " + type + " at byte " + at + ": " + message);
        }

        long u32(int position) {
            return ((data[position] & 0xFFL) << 24) | ((data[position + 1] & 0xFF) << 16)
                    | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
        }

        int u16(int position) {
            return ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
        }
    }
}
