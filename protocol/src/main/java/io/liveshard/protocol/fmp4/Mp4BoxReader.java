package io.liveshard.protocol.fmp4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a byte range into the ISO BMFF boxes it holds (ISO/IEC 14496-12, 4.2), checking that every box fits: the
 * sizes of sibling boxes must add up to the range exactly. Used to verify what the muxer writes and to inspect
 * segments; it reads box headers only and never interprets content, so it is safe on untrusted input.
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, 4.2 Object structure</a>
 */
public final class Mp4BoxReader {

    /** size value 1: a 64-bit largesize follows the type (4.2). */
    private static final int SIZE_LARGE = 1;

    /** size value 0: the box extends to the end of the enclosing range (4.2). */
    private static final int SIZE_TO_END = 0;

    private Mp4BoxReader() {
    }

    /** All boxes in {@code data}. */
    public static List<Mp4Box> read(byte[] data) throws Fmp4Exception {
        return read(data, 0, data.length);
    }

    /** The boxes in {@code data[offset, offset + length)}, which they must fill exactly. */
    public static List<Mp4Box> read(byte[] data, int offset, int length) throws Fmp4Exception {
        Objects.checkFromIndexSize(offset, length, data.length);
        List<Mp4Box> boxes = new ArrayList<>();
        int end = offset + length;
        int position = offset;
        while (position < end) {
            int left = end - position;
            if (left < Mp4BoxWriter.BOX_HEADER_SIZE) {
                throw new Fmp4Exception(left + " stray byte(s) at offset " + position + ", too few for a box header");
            }
            long size = readU32(data, position);
            String type = new String(data, position + 4, 4, StandardCharsets.ISO_8859_1);
            int headerSize = Mp4BoxWriter.BOX_HEADER_SIZE;
            if (size == SIZE_LARGE) {
                if (left < 16) {
                    throw new Fmp4Exception("'" + type + "' at offset " + position + " is truncated in its largesize");
                }
                size = (readU32(data, position + 8) << 32) | readU32(data, position + 12);
                headerSize = 16;
            } else if (size == SIZE_TO_END) {
                size = left;
            }
            if (size < headerSize || size > left) {
                throw new Fmp4Exception("'" + type + "' at offset " + position + " claims " + size + " bytes, "
                        + left + " are left");
            }
            boxes.add(new Mp4Box(type, data, position, (int) size, headerSize));
            position += (int) size;
        }
        return boxes;
    }

    private static long readU32(byte[] data, int at) {
        return ((data[at] & 0xFFL) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8)
                | (data[at + 3] & 0xFF);
    }
}
