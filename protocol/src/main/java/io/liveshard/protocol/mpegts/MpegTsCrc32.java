package io.liveshard.protocol.mpegts;

/**
 * The CRC_32 that ends every PSI section (ISO/IEC 13818-1 2.4.4.10 and Annex A): polynomial 0x04C11DB7, register
 * preset to all ones, bits processed most significant first, no final inversion ("CRC-32/MPEG-2"). It differs from
 * {@link java.util.zip.CRC32}, which reflects the bits and inverts the result, so the JDK class cannot be used.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1, Annex A</a>
 */
final class MpegTsCrc32 {

    /** The generator polynomial of Annex A, without its x^32 term. */
    static final int POLYNOMIAL = 0x04C11DB7;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
            }
            TABLE[i] = crc;
        }
    }

    private MpegTsCrc32() {
    }

    /** The CRC of {@code data[offset, offset + length)}. */
    static int compute(byte[] data, int offset, int length) {
        int crc = 0xFFFF_FFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data[i]) & 0xFF];
        }
        return crc;
    }
}
