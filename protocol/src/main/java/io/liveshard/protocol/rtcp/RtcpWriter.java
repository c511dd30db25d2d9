package io.liveshard.protocol.rtcp;

import java.util.Objects;

/**
 * Writes the RTCP a sending-only peer needs: sender reports and the SDES CNAME that every compound packet carries
 * (RFC 3550 6.1), and the feedback a receiver sends (generic NACK, PLI), which tests and load tools play the
 * receiver with. Static methods with primitive arguments into the caller's buffer: nothing is allocated.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550, 6.4.1 and 6.5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.1">RFC 4585, 6.1 to 6.3.1</a>
 */
public final class RtcpWriter {

    /** A sender report without report blocks: header, SSRC and the 20-byte sender info (RFC 3550 6.4.1). */
    public static final int SENDER_REPORT_SIZE = 28;

    /** An SDES item's text length is one byte (RFC 3550 6.5). */
    public static final int MAX_CNAME_LENGTH = 255;

    private static final int VERSION_BITS = 2 << 6;
    private static final int SDES_CNAME = 1;

    private RtcpWriter() {
    }

    /**
     * Writes a sender report without report blocks (LiveShard only sends).
     *
     * @param ntpTimestamp the wall clock now, {@link RtcpNtpTime#fromUnixMillis}
     * @param rtpTimestamp the same instant in the stream's RTP clock
     * @param packetCount  packets sent; only the low 32 bits go on the wire
     * @param octetCount   payload octets sent; only the low 32 bits go on the wire
     * @return {@link #SENDER_REPORT_SIZE}
     */
    public static int writeSenderReport(byte[] out, int offset, long ssrc, long ntpTimestamp, long rtpTimestamp,
                                        long packetCount, long octetCount) {
        Objects.checkFromIndexSize(offset, SENDER_REPORT_SIZE, out.length);
        writeHeader(out, offset, 0, RtcpPacketType.SENDER_REPORT, SENDER_REPORT_SIZE);
        writeInt(out, offset + 4, ssrc);
        writeInt(out, offset + 8, ntpTimestamp >>> 32);
        writeInt(out, offset + 12, ntpTimestamp);
        writeInt(out, offset + 16, rtpTimestamp);
        writeInt(out, offset + 20, packetCount);
        writeInt(out, offset + 24, octetCount);
        return SENDER_REPORT_SIZE;
    }

    /** The size of an SDES packet with one chunk holding a CNAME of {@code cnameLength} bytes. */
    public static int sourceDescriptionSize(int cnameLength) {
        checkCnameLength(cnameLength);
        // type, length, text, then 1..4 null octets ending the item list on a 32-bit boundary (RFC 3550 6.5)
        int items = 2 + cnameLength;
        return 4 + 4 + items + (4 - items % 4);
    }

    /**
     * Writes an SDES packet with one chunk: {@code ssrc} and its CNAME, e.g. UTF-8 bytes computed once per session.
     *
     * @return the packet's size, {@link #sourceDescriptionSize}
     */
    public static int writeSourceDescription(byte[] out, int offset, long ssrc, byte[] cname) {
        int size = sourceDescriptionSize(cname.length);
        Objects.checkFromIndexSize(offset, size, out.length);
        writeHeader(out, offset, 1, RtcpPacketType.SOURCE_DESCRIPTION, size);
        writeInt(out, offset + 4, ssrc);
        out[offset + 8] = SDES_CNAME;
        out[offset + 9] = (byte) cname.length;
        System.arraycopy(cname, 0, out, offset + 10, cname.length);
        for (int i = offset + 10 + cname.length; i < offset + size; i++) {
            out[i] = 0;
        }
        return size;
    }

    /** A feedback packet's fixed part: header, sender SSRC, media source SSRC (RFC 4585 6.1). */
    public static final int FEEDBACK_HEADER_SIZE = 12;

    /** One generic NACK FCI entry: PID and BLP (RFC 4585 6.2.1). */
    private static final int NACK_ENTRY_SIZE = 4;

    /** The BLP bitmask names the 16 packets after the PID (RFC 4585 6.2.1). */
    private static final int NACK_BLP_SPAN = 16;

    /**
     * The size of a generic NACK for {@code lost}, sequence numbers in ascending order (by RFC 3550 A.1 arithmetic):
     * each entry covers its PID and the 16 packets after it.
     */
    public static int genericNackSize(int[] lost) {
        return FEEDBACK_HEADER_SIZE + NACK_ENTRY_SIZE * nackEntries(lost, null, 0);
    }

    /**
     * Writes a generic NACK (RTPFB, FMT 1) asking {@code mediaSsrc} for {@code lost}, ascending sequence numbers.
     *
     * @return the packet's size, {@link #genericNackSize}
     */
    public static int writeGenericNack(byte[] out, int offset, long senderSsrc, long mediaSsrc, int[] lost) {
        if (lost.length == 0) {
            throw new IllegalArgumentException("a NACK names at least one packet");
        }
        int size = genericNackSize(lost);
        Objects.checkFromIndexSize(offset, size, out.length);
        writeHeader(out, offset, RtcpFeedbackFormat.GENERIC_NACK.code(), RtcpPacketType.TRANSPORT_FEEDBACK, size);
        writeInt(out, offset + 4, senderSsrc);
        writeInt(out, offset + 8, mediaSsrc);
        nackEntries(lost, out, offset + FEEDBACK_HEADER_SIZE);
        return size;
    }

    /**
     * Writes a picture loss indication (PSFB, FMT 1): the receiver wants a key frame from {@code mediaSsrc}.
     *
     * @return {@link #FEEDBACK_HEADER_SIZE}
     */
    public static int writePictureLossIndication(byte[] out, int offset, long senderSsrc, long mediaSsrc) {
        Objects.checkFromIndexSize(offset, FEEDBACK_HEADER_SIZE, out.length);
        writeHeader(out, offset, RtcpFeedbackFormat.PICTURE_LOSS_INDICATION.code(), RtcpPacketType.PAYLOAD_FEEDBACK,
                FEEDBACK_HEADER_SIZE);
        writeInt(out, offset + 4, senderSsrc);
        writeInt(out, offset + 8, mediaSsrc);
        return FEEDBACK_HEADER_SIZE;
    }

    /** Counts the FCI entries {@code lost} needs and, when {@code out} is given, writes them at {@code at}. */
    private static int nackEntries(int[] lost, byte[] out, int at) {
        int entries = 0;
        int i = 0;
        while (i < lost.length) {
            int pid = lost[i] & 0xFFFF;
            int blp = 0;
            i++;
            while (i < lost.length) {
                int after = (short) ((lost[i] & 0xFFFF) - pid); // RFC 3550 A.1 distance, across the wrap
                if (after < 1 || after > NACK_BLP_SPAN) {
                    break;
                }
                blp |= 1 << (after - 1);
                i++;
            }
            if (out != null) {
                int entry = at + entries * NACK_ENTRY_SIZE;
                out[entry] = (byte) (pid >>> 8);
                out[entry + 1] = (byte) pid;
                out[entry + 2] = (byte) (blp >>> 8);
                out[entry + 3] = (byte) blp;
            }
            entries++;
        }
        return entries;
    }

    private static void checkCnameLength(int cnameLength) {
        if (cnameLength < 1 || cnameLength > MAX_CNAME_LENGTH) {
            throw new IllegalArgumentException("CNAME of " + cnameLength + " bytes outside 1.." + MAX_CNAME_LENGTH);
        }
    }

    private static void writeHeader(byte[] out, int offset, int count, RtcpPacketType type, int size) {
        int words = size / 4 - 1; // the length field counts 32-bit words minus one (RFC 3550 6.4.1)
        out[offset] = (byte) (VERSION_BITS | count);
        out[offset + 1] = (byte) type.code();
        out[offset + 2] = (byte) (words >>> 8);
        out[offset + 3] = (byte) words;
    }

    private static void writeInt(byte[] out, int at, long value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
    }
}
