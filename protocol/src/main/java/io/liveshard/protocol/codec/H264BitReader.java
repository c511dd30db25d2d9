package io.liveshard.protocol.codec;

import java.util.Objects;

/**
 * Reads the bit-level syntax of an H.264 RBSP (emulation prevention bytes already removed, see {@link H264Rbsp}):
 * fixed-width fields u(n) and the Exp-Golomb codes ue(v) and se(v) of ITU-T H.264 9.1. Reading past the end throws
 * {@link CodecFormatException}. The same MSB-first bit order serves other codec headers without emulation
 * prevention, such as the AAC AudioSpecificConfig.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, 7.2 and 9.1</a>
 */
public final class H264BitReader {

    /**
     * The longest Exp-Golomb prefix accepted. With 30 leading zeros the value stays below 2^31; no syntax element
     * parsed here comes near that, so a longer prefix is corrupt data (ITU-T H.264 9.1 allows up to 31 for u32
     * values, none of which are read as ue(v) here).
     */
    public static final int MAX_EXP_GOLOMB_LEADING_ZEROS = 30;

    private final byte[] data;
    private final long startBit;
    private final long endBit;
    private long bit;

    public H264BitReader(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.startBit = (long) offset * 8;
        this.bit = startBit;
        this.endBit = (long) (offset + length) * 8;
    }

    /** Bits not read yet. */
    public long bitsLeft() {
        return endBit - bit;
    }

    public boolean readFlag() throws CodecFormatException {
        return readBits(1) == 1;
    }

    /** u(n) for n in 0..31. */
    public int readBits(int count) throws CodecFormatException {
        if (count < 0 || count > 31) {
            throw new IllegalArgumentException("can read 0..31 bits at once, not " + count);
        }
        require(count);
        int value = 0;
        for (int i = 0; i < count; i++) {
            value = (value << 1) | ((data[(int) (bit >>> 3)] >> (7 - (int) (bit & 7))) & 1);
            bit++;
        }
        return value;
    }

    /** u(32), e.g. num_units_in_tick. */
    public long readUnsigned32() throws CodecFormatException {
        long high = readBits(16);
        return (high << 16) | readBits(16);
    }

    public void skipBits(long count) throws CodecFormatException {
        require(count);
        bit += count;
    }

    /** ue(v): unsigned Exp-Golomb (9.1). */
    public int readUnsignedExpGolomb() throws CodecFormatException {
        int leadingZeros = 0;
        while (!readFlag()) {
            leadingZeros++;
            if (leadingZeros > MAX_EXP_GOLOMB_LEADING_ZEROS) {
                throw new CodecFormatException("Exp-Golomb code with more than " + MAX_EXP_GOLOMB_LEADING_ZEROS
                        + " leading zeros");
            }
        }
        return (1 << leadingZeros) - 1 + readBits(leadingZeros);
    }

    /** se(v): signed Exp-Golomb (9.1.1): 0, 1, -1, 2, -2, ... */
    public int readSignedExpGolomb() throws CodecFormatException {
        int codeNum = readUnsignedExpGolomb();
        int magnitude = (int) ((codeNum + 1L) / 2);
        return (codeNum & 1) == 1 ? magnitude : -magnitude;
    }

    private void require(long count) throws CodecFormatException {
        if (count > endBit - bit) {
            throw new CodecFormatException("bitstream truncated at bit " + (bit - startBit) + " of "
                    + (endBit - startBit) + ": " + count + " more bit(s) needed");
        }
    }
}
