package io.liveshard.protocol.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * Turns the payload of an H.264 (or H.265) NAL unit into its raw byte sequence payload by dropping the
 * emulation_prevention_three_byte of every {@code 00 00 03} sequence (ITU-T H.264 7.3.1 and 7.4.1).
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, 7.4.1</a>
 */
public final class H264Rbsp {

    private H264Rbsp() {
    }

    /** The bytes of {@code data[offset, offset + length)} without emulation prevention bytes. */
    public static byte[] unescape(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        byte[] out = new byte[length];
        int size = 0;
        int zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = data[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[size++] = b;
        }
        return size == length ? out : Arrays.copyOf(out, size);
    }
}
