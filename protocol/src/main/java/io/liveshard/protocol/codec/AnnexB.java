package io.liveshard.protocol.codec;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * Converts H.264/H.265 access units between the two NAL unit framings: Annex B byte streams, where start codes
 * ({@code 00 00 01} or {@code 00 00 00 01}) separate NAL units (ITU-T H.264 Annex B, used by MPEG-TS and WebRTC
 * packetizers), and the length-prefixed "AVCC" form of RTMP, FLV and MP4 (ISO/IEC 14496-15 5.3.2, lengthSizeMinusOne
 * from the decoder configuration record).
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, Annex B</a>
 * @see <a href="https://www.iso.org/standard/83336.html">ISO/IEC 14496-15, 5.3.2</a>
 */
public final class AnnexB {

    /** The start code written before every NAL unit; the 4-byte form is valid before any NAL unit type. */
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private AnnexB() {
    }

    /**
     * Calls {@code consumer} for every NAL unit of a length-prefixed access unit, in order, without copying.
     * The whole access unit is checked first, so on bad input the consumer sees nothing. Zero-length NAL units are
     * skipped.
     *
     * @throws CodecFormatException when a length prefix is truncated or overruns the data, or the length size is not
     *                              1, 2 or 4
     */
    public static void forEachAvccNal(byte[] data, int offset, int length, int nalLengthSize,
                                      AvccNalConsumer consumer) throws CodecFormatException {
        countAvccBytes(data, offset, length, nalLengthSize);
        int position = offset;
        int end = offset + length;
        while (position < end) {
            int nalLength = (int) readLength(data, position, nalLengthSize);
            position += nalLengthSize;
            if (nalLength > 0) {
                consumer.accept(data, position, nalLength);
            }
            position += nalLength;
        }
    }

    /**
     * Turns a length-prefixed access unit into Annex B with 4-byte start codes.
     *
     * @throws CodecFormatException when a length prefix is truncated or overruns the data, or the length size is not
     *                              1, 2 or 4
     */
    public static byte[] avccToAnnexB(byte[] data, int offset, int length, int nalLengthSize)
            throws CodecFormatException {
        long[] counts = countAvccBytes(data, offset, length, nalLengthSize);
        long size = counts[0] * START_CODE.length + counts[1];
        if (size > Integer.MAX_VALUE - 8) {
            throw new CodecFormatException("Annex B form of " + counts[0] + " NAL units is too large");
        }
        byte[] out = new byte[(int) size];
        int[] written = {0};
        forEachAvccNal(data, offset, length, nalLengthSize, (nal, nalOffset, nalLength) -> {
            System.arraycopy(START_CODE, 0, out, written[0], START_CODE.length);
            System.arraycopy(nal, nalOffset, out, written[0] + START_CODE.length, nalLength);
            written[0] += START_CODE.length + nalLength;
        });
        return out;
    }

    /**
     * Turns an Annex B byte stream into length-prefixed NAL units with 4-byte lengths. Accepts 3- and 4-byte start
     * codes; zero bytes before the first start code and trailing zero bytes after a NAL unit (leading_zero_8bits,
     * trailing_zero_8bits, B.1.1) are dropped, and so is anything before the first start code. Data without a start
     * code gives an empty array.
     */
    public static byte[] annexBToAvcc(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        int end = offset + length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 16);
        int nalStart = findStartCodeEnd(data, offset, end);
        while (nalStart >= 0) {
            int nextStartCode = findStartCode(data, nalStart, end);
            int nextNalStart = nextStartCode < 0 ? -1 : nextStartCode + 3;
            int nalEnd = nextStartCode < 0 ? end : nextStartCode;
            while (nalEnd > nalStart && data[nalEnd - 1] == 0) {
                nalEnd--;
            }
            int nalLength = nalEnd - nalStart;
            if (nalLength > 0) {
                out.write(nalLength >>> 24);
                out.write(nalLength >>> 16);
                out.write(nalLength >>> 8);
                out.write(nalLength);
                out.write(data, nalStart, nalLength);
            }
            nalStart = nextNalStart;
        }
        return out.toByteArray();
    }

    /** Validates the length prefixes; returns {NAL unit count, total NAL bytes}, counting non-empty NAL units. */
    private static long[] countAvccBytes(byte[] data, int offset, int length, int nalLengthSize)
            throws CodecFormatException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
            throw new CodecFormatException("NAL length size must be 1, 2 or 4, not " + nalLengthSize);
        }
        long count = 0;
        long bytes = 0;
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (end - position < nalLengthSize) {
                throw new CodecFormatException("truncated NAL length prefix: " + (end - position) + " byte(s) left at "
                        + (position - offset) + ", need " + nalLengthSize);
            }
            long nalLength = readLength(data, position, nalLengthSize);
            position += nalLengthSize;
            if (nalLength > end - position) {
                throw new CodecFormatException("NAL unit length " + nalLength + " at "
                        + (position - offset - nalLengthSize) + " overruns the access unit, which has "
                        + (end - position) + " byte(s) left");
            }
            if (nalLength > 0) {
                count++;
                bytes += nalLength;
            }
            position += (int) nalLength;
        }
        return new long[] {count, bytes};
    }

    private static long readLength(byte[] data, int position, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (data[position + i] & 0xFF);
        }
        return value;
    }

    /** Index of the next {@code 00 00 01} at or after {@code from}, or -1. */
    private static int findStartCode(byte[] data, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if ((data[i + 2] & 0xFF) > 1) {
                i += 2; // no start code can end at i + 2 or earlier: skip ahead (the classic Annex B scan)
            } else if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                return i;
            }
        }
        return -1;
    }

    /** Index just after the next start code at or after {@code from}, or -1. */
    private static int findStartCodeEnd(byte[] data, int from, int end) {
        int startCode = findStartCode(data, from, end);
        return startCode < 0 ? -1 : startCode + 3;
    }
}
