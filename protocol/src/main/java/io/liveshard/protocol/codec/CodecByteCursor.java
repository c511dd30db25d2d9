package io.liveshard.protocol.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * Reads big-endian fields from a bounded slice of an array. Every read checks the bounds first, so a truncated
 * structure becomes a {@link CodecFormatException} naming the field, never an index exception.
 */
final class CodecByteCursor {

    private final byte[] data;
    private final int start;
    private final int end;
    private final String what;
    private int position;

    /** {@code what} names the structure in messages, e.g. "AVCDecoderConfigurationRecord". */
    CodecByteCursor(byte[] data, int offset, int length, String what) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.start = offset;
        this.end = offset + length;
        this.what = what;
        this.position = offset;
    }

    int remaining() {
        return end - position;
    }

    int u8(String field) throws CodecFormatException {
        require(1, field);
        return data[position++] & 0xFF;
    }

    int u16(String field) throws CodecFormatException {
        require(2, field);
        int value = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    void skip(int count, String field) throws CodecFormatException {
        require(count, field);
        position += count;
    }

    byte[] bytes(int count, String field) throws CodecFormatException {
        require(count, field);
        byte[] copy = Arrays.copyOfRange(data, position, position + count);
        position += count;
        return copy;
    }

    private void require(int count, String field) throws CodecFormatException {
        if (end - position < count) {
            throw new CodecFormatException("truncated " + what + ": " + field + " needs " + count
                    + " byte(s) at offset " + (position - start) + " of " + (end - start));
        }
    }
}
