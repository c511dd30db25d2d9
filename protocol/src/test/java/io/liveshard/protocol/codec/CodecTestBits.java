package io.liveshard.protocol.codec;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/** Builds bitstream fixtures for the codec tests: fixed-width fields and Exp-Golomb codes, MSB first. */
final class CodecTestBits {

    private final StringBuilder bits = new StringBuilder();

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    CodecTestBits u(int count, long value) {
        for (int i = count - 1; i >= 0; i--) {
            bits.append((value >>> i) & 1);
        }
        return this;
    }

    CodecTestBits flag(boolean value) {
        return u(1, value ? 1 : 0);
    }

    CodecTestBits ue(long value) {
        long codeNum = value + 1;
        int length = 64 - Long.numberOfLeadingZeros(codeNum);
        return u(length - 1, 0).u(length, codeNum);
    }

    CodecTestBits se(long value) {
        return ue(value > 0 ? 2 * value - 1 : -2 * value);
    }

    /** The bits padded with zeros to a byte. */
    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bits.length(); i += 8) {
            String octet = (bits.substring(i, Math.min(i + 8, bits.length())) + "0000000").substring(0, 8);
            out.write(Integer.parseInt(octet, 2));
        }
        return out.toByteArray();
    }

    /** An SPS NAL unit: header byte 0x67, these bits as RBSP with stop bit, emulation prevention added. */
    byte[] spsNal() {
        bits.append('1');
        byte[] rbsp = bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x67);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }
}
