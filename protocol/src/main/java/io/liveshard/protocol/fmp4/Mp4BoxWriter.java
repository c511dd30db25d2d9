package io.liveshard.protocol.fmp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes ISO BMFF boxes (ISO/IEC 14496-12, 4.2) big-endian into one growing array. A box is opened with
 * {@link #begin(String)} or {@link #beginFull(String, int, int)}, which reserve the 32-bit size field, and closed with
 * {@link #end(int)}, which patches the size in place once the content is known. Nested boxes therefore cost no copy:
 * every byte is written once (plus the array's amortised growth), however deep the nesting.
 *
 * <p>Not thread-safe; one writer builds one segment.
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, 4.2 Object structure</a>
 */
public final class Mp4BoxWriter {

    /** size (32 bits) and type (32 bits) of a compact box header (4.2). */
    public static final int BOX_HEADER_SIZE = 8;

    private byte[] buffer;
    private int position;

    public Mp4BoxWriter(int initialCapacity) {
        buffer = new byte[Math.max(initialCapacity, 64)];
    }

    /** Opens a box; returns the mark to pass to {@link #end(int)}. */
    public int begin(String type) {
        int mark = position;
        u32(0);
        fourCc(type);
        return mark;
    }

    /** Opens a full box with its version and 24-bit flags; returns the mark to pass to {@link #end(int)}. */
    public int beginFull(String type, int version, int flags) {
        int mark = begin(type);
        u8(version);
        u24(flags);
        return mark;
    }

    /** Closes the box opened at {@code mark} by writing its size, header included. */
    public void end(int mark) {
        putU32(mark, position - mark);
    }

    public Mp4BoxWriter u8(int value) {
        ensure(1);
        buffer[position++] = (byte) value;
        return this;
    }

    public Mp4BoxWriter u16(int value) {
        ensure(2);
        buffer[position++] = (byte) (value >>> 8);
        buffer[position++] = (byte) value;
        return this;
    }

    public Mp4BoxWriter u24(int value) {
        ensure(3);
        buffer[position++] = (byte) (value >>> 16);
        buffer[position++] = (byte) (value >>> 8);
        buffer[position++] = (byte) value;
        return this;
    }

    /** Writes the low 32 bits of {@code value}, so both unsigned values in a long and signed ints fit. */
    public Mp4BoxWriter u32(long value) {
        ensure(4);
        putU32(position, value);
        position += 4;
        return this;
    }

    public Mp4BoxWriter u64(long value) {
        u32(value >>> 32);
        return u32(value);
    }

    /** Writes {@code count} zero bytes, for reserved and pre_defined fields. */
    public Mp4BoxWriter zeros(int count) {
        ensure(count);
        Arrays.fill(buffer, position, position + count, (byte) 0);
        position += count;
        return this;
    }

    public Mp4BoxWriter bytes(byte[] data) {
        return bytes(data, 0, data.length);
    }

    public Mp4BoxWriter bytes(byte[] data, int offset, int length) {
        ensure(length);
        System.arraycopy(data, offset, buffer, position, length);
        position += length;
        return this;
    }

    /** A four-character code such as {@code moov}; must be exactly four ASCII characters. */
    public Mp4BoxWriter fourCc(String code) {
        if (code.length() != 4 || !code.chars().allMatch(c -> c >= ' ' && c < 0x7F)) {
            throw new IllegalArgumentException("a four-character code needs 4 printable ASCII characters: '" + code + "'");
        }
        return bytes(code.getBytes(StandardCharsets.US_ASCII));
    }

    /** The number of bytes written so far: the offset the next byte will have in {@link #toByteArray()}. */
    public int position() {
        return position;
    }

    /** Overwrites 4 bytes already written, for fields (like trun's data_offset) known only later. */
    public void putU32(int at, long value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    /** Segments stay below 2 GiB, so every box fits the compact 32-bit size field and never needs largesize. */
    private void ensure(int count) {
        if (count > buffer.length - position) {
            long needed = (long) position + count;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("an MP4 segment cannot exceed 2 GiB");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, 2L * buffer.length)));
        }
    }
}
