package io.liveshard.protocol.rtp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The RTP fixed header, CSRC list and header extension (RFC 3550 5.1 and 5.3.1), with the extension elements of
 * RFC 8285 when the extension uses its one-byte ({@code 0xBEDE}) or two-byte ({@code 0x100X}) profile.
 *
 * <p>Writing is a static method with primitive arguments, so the per-viewer send path allocates nothing; reading
 * builds this record, for tests and the receive side.
 *
 * @param padding           P: the payload ends with padding whose last byte counts it
 * @param extension         X: a header extension follows the CSRC list
 * @param marker            M: for video, the last packet of an access unit (RFC 6184 5.1)
 * @param payloadType       PT, 0..127, bound to a codec by SDP
 * @param sequenceNumber    0..65535, one more for every packet sent
 * @param timestamp         32-bit media-clock sampling instant
 * @param ssrc              32-bit synchronization source
 * @param csrcs             the contributing sources (CC of them)
 * @param extensionProfile  the 16-bit "defined by profile" field of the extension, -1 without extension
 * @param extensions        the RFC 8285 elements; empty for other profiles or without extension
 * @param payloadOffset     where the payload starts in the parsed array
 * @param payloadLength     the payload's length, padding excluded
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-5.1">RFC 3550, 5.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8285">RFC 8285</a>
 */
public record RtpHeader(
        boolean padding,
        boolean extension,
        boolean marker,
        int payloadType,
        int sequenceNumber,
        long timestamp,
        long ssrc,
        List<Long> csrcs,
        int extensionProfile,
        List<RtpHeaderExtension> extensions,
        int payloadOffset,
        int payloadLength) {

    /** RTP version 2 (RFC 3550 5.1); versions 0 and 1 predate it and nobody sends them. */
    public static final int VERSION = 2;

    /** The fixed header without CSRCs or extension (RFC 3550 5.1). */
    public static final int FIXED_SIZE = 12;

    /** PT is 7 bits (RFC 3550 5.1). */
    public static final int MAX_PAYLOAD_TYPE = 127;

    /** The one-byte extension profile (RFC 8285 4.2). */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;

    /** The two-byte extension profile, whose low 4 bits are "appbits" (RFC 8285 4.3). */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    /** One-byte elements use IDs 1..14; 15 ends the extension and 0 is padding (RFC 8285 4.2). */
    private static final int ONE_BYTE_STOP_ID = 15;

    public RtpHeader {
        csrcs = List.copyOf(csrcs);
        extensions = List.copyOf(extensions);
    }

    /** The CSRC count, CC. */
    /**
     * Checks what a sender fixes for one RTP stream: a 32-bit SSRC, a 7-bit payload type and a 16-bit first
     * sequence number; refused with a message naming the value otherwise.
     */
    static void checkStream(long ssrc, int payloadType, int firstSequenceNumber) {
        if (ssrc < 0 || ssrc > RtpTimestamps.MASK) {
            throw new IllegalArgumentException("SSRC " + ssrc + " is not a 32-bit unsigned value");
        }
        if (payloadType < 0 || payloadType > MAX_PAYLOAD_TYPE) {
            throw new IllegalArgumentException("payload type " + payloadType + " outside 0.." + MAX_PAYLOAD_TYPE);
        }
        if (firstSequenceNumber < 0 || firstSequenceNumber >= RtpSequenceNumbers.MODULUS) {
            throw new IllegalArgumentException("sequence number " + firstSequenceNumber + " outside 0..65535");
        }
    }

    public int csrcCount() {
        return csrcs.size();
    }

    /**
     * Writes a 12-byte header without CSRCs, extension or padding: what LiveShard sends.
     *
     * @return {@link #FIXED_SIZE}
     */
    public static int write(byte[] out, int offset, boolean marker, int payloadType, int sequenceNumber,
                            long timestamp, long ssrc) {
        Objects.checkFromIndexSize(offset, FIXED_SIZE, out.length);
        out[offset] = (byte) (VERSION << 6);
        out[offset + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & MAX_PAYLOAD_TYPE));
        out[offset + 2] = (byte) (sequenceNumber >>> 8);
        out[offset + 3] = (byte) sequenceNumber;
        writeInt(out, offset + 4, timestamp);
        writeInt(out, offset + 8, ssrc);
        return FIXED_SIZE;
    }

    /**
     * As {@link #write(byte[], int, boolean, int, int, long, long)}, at {@code out}'s position, which advances.
     * Network byte order whatever the buffer's {@link ByteBuffer#order()}.
     */
    public static int write(ByteBuffer out, boolean marker, int payloadType, int sequenceNumber, long timestamp,
                            long ssrc) {
        out.put((byte) (VERSION << 6));
        out.put((byte) ((marker ? 0x80 : 0) | (payloadType & MAX_PAYLOAD_TYPE)));
        out.put((byte) (sequenceNumber >>> 8));
        out.put((byte) sequenceNumber);
        putInt(out, timestamp);
        putInt(out, ssrc);
        return FIXED_SIZE;
    }

    /**
     * Reads the header of the RTP packet at {@code data[offset, offset + length)}.
     *
     * @throws RtpException when the version is not 2, the CSRC list or extension overruns the packet, an RFC 8285
     *                      element overruns the extension, or the padding count is 0 or larger than the payload
     */
    public static RtpHeader parse(byte[] data, int offset, int length) throws RtpException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length < FIXED_SIZE) {
            throw new RtpException("RTP packet of " + length + " bytes is shorter than the " + FIXED_SIZE
                    + "-byte fixed header");
        }
        int first = data[offset] & 0xFF;
        int version = first >>> 6;
        if (version != VERSION) {
            throw new RtpException("RTP version " + version + " is not " + VERSION);
        }
        boolean padding = (first & 0x20) != 0;
        boolean extension = (first & 0x10) != 0;
        int csrcCount = first & 0x0F;
        int second = data[offset + 1] & 0xFF;
        int end = offset + length;
        int position = offset + FIXED_SIZE;
        if (end - position < 4 * csrcCount) {
            throw new RtpException("RTP CSRC list of " + csrcCount + " entries overruns the " + length
                    + "-byte packet");
        }
        List<Long> csrcs = new ArrayList<>(csrcCount);
        for (int i = 0; i < csrcCount; i++) {
            csrcs.add(readInt(data, position));
            position += 4;
        }
        int profile = -1;
        List<RtpHeaderExtension> elements = List.of();
        if (extension) {
            if (end - position < 4) {
                throw new RtpException("RTP header extension header overruns the " + length + "-byte packet");
            }
            profile = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
            int extensionLength = 4 * (((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF));
            position += 4;
            if (end - position < extensionLength) {
                throw new RtpException("RTP header extension of " + extensionLength + " bytes overruns the "
                        + length + "-byte packet");
            }
            elements = parseElements(data, position, extensionLength, profile);
            position += extensionLength;
        }
        int payloadEnd = end;
        if (padding) {
            int paddingLength = data[end - 1] & 0xFF;
            if (paddingLength == 0 || paddingLength > end - position) {
                throw new RtpException("RTP padding count " + paddingLength + " with " + (end - position)
                        + " bytes after the header");
            }
            payloadEnd -= paddingLength;
        }
        return new RtpHeader(padding, extension, (second & 0x80) != 0, second & MAX_PAYLOAD_TYPE,
                ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF), readInt(data, offset + 4),
                readInt(data, offset + 8), csrcs, profile, elements, position, payloadEnd - position);
    }

    private static List<RtpHeaderExtension> parseElements(byte[] data, int start, int length, int profile)
            throws RtpException {
        boolean oneByte = profile == ONE_BYTE_PROFILE;
        boolean twoByte = (profile & 0xFFF0) == TWO_BYTE_PROFILE;
        if (!oneByte && !twoByte) {
            return List.of(); // another profile: its data is opaque to us
        }
        List<RtpHeaderExtension> elements = new ArrayList<>();
        int position = start;
        int end = start + length;
        while (position < end) {
            int id = oneByte ? (data[position] & 0xFF) >>> 4 : data[position] & 0xFF;
            if (id == 0) {
                position++; // a padding byte between or after elements (RFC 8285 4.2, 4.3)
                continue;
            }
            if (oneByte && id == ONE_BYTE_STOP_ID) {
                break; // reserved: processing stops here (RFC 8285 4.2)
            }
            int valueLength;
            int valueStart;
            if (oneByte) {
                valueLength = (data[position] & 0x0F) + 1;
                valueStart = position + 1;
            } else {
                if (end - position < 2) {
                    throw new RtpException("RTP two-byte header extension element " + id + " has no length byte");
                }
                valueLength = data[position + 1] & 0xFF;
                valueStart = position + 2;
            }
            if (end - valueStart < valueLength) {
                throw new RtpException("RTP header extension element " + id + " of " + valueLength
                        + " bytes overruns the extension");
            }
            elements.add(new RtpHeaderExtension(id, valueStart, valueLength));
            position = valueStart + valueLength;
        }
        return elements;
    }

    private static void writeInt(byte[] out, int at, long value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
    }

    private static void putInt(ByteBuffer out, long value) {
        out.put((byte) (value >>> 24));
        out.put((byte) (value >>> 16));
        out.put((byte) (value >>> 8));
        out.put((byte) value);
    }

    private static long readInt(byte[] data, int at) {
        return ((data[at] & 0xFFL) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8)
                | (data[at + 3] & 0xFF);
    }
}
