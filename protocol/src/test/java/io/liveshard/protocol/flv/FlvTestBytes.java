package io.liveshard.protocol.flv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/** Byte fixtures for the FLV tests: hex with spaces, and test resources. */
final class FlvTestBytes {

    private FlvTestBytes() {
    }

    /** Bytes from hex digits; spaces are ignored so fixtures can show field boundaries. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] resource(String name) {
        try (InputStream in = FlvTestBytes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
