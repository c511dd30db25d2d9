package io.liveshard.protocol.flv;

/** Packs and prints the four-character codes Enhanced RTMP uses to name codecs (big-endian ASCII). */
final class FlvFourCc {

    private FlvFourCc() {
    }

    static int pack(String text) {
        if (text.length() != 4) {
            throw new IllegalArgumentException("a FourCC has 4 characters: " + text);
        }
        return (text.charAt(0) << 24) | (text.charAt(1) << 16) | (text.charAt(2) << 8) | text.charAt(3);
    }

    /** The code as text when it is printable ASCII, else as hex, for error messages about hostile input. */
    static String describe(int code) {
        StringBuilder text = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (code >>> shift) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return String.format("0x%08x", code);
            }
            text.append((char) c);
        }
        return "'" + text + "'";
    }
}
