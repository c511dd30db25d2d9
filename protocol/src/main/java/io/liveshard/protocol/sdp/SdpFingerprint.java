package io.liveshard.protocol.sdp;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code a=fingerprint} (RFC 8122 section 5): the hash of a DTLS certificate, as upper-case hex pairs joined by
 * colons. The peer's certificate must hash to it, which is what binds the DTLS session to the signalled offer.
 *
 * @param hashFunction lower-case name from the IANA "Hash Function Textual Names" registry, e.g. {@code sha-256}
 * @param value        upper-case hex pairs joined by colons
 */
public record SdpFingerprint(String hashFunction, String value) {

    public static final String SHA_256 = "sha-256";

    /** RFC 8122 section 5: fingerprint is 2UHEX *(":" 2UHEX); SHA-512, the longest in use, has 64 bytes. */
    private static final Pattern HEX_PAIRS = Pattern.compile("[0-9A-F]{2}(:[0-9A-F]{2}){0,63}");

    public SdpFingerprint {
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
        if (!HEX_PAIRS.matcher(value).matches()) {
            throw new IllegalArgumentException("fingerprint is not hex pairs joined by colons: " + value);
        }
        int expected = expectedBytes(hashFunction);
        if (expected > 0 && bytes(value).length != expected) {
            throw new IllegalArgumentException(hashFunction + " fingerprint has " + bytes(value).length
                    + " bytes, expected " + expected);
        }
    }

    /** Parses the value of an {@code a=fingerprint} attribute. */
    static SdpFingerprint parse(String attributeValue) throws SdpException {
        String[] parts = attributeValue.trim().split(" +");
        if (parts.length != 2) {
            throw new SdpException("a=fingerprint must be '<hash function> <hex pairs>': " + attributeValue);
        }
        try {
            return new SdpFingerprint(parts[0], parts[1]);
        } catch (IllegalArgumentException e) {
            throw new SdpException("a=fingerprint: " + e.getMessage());
        }
    }

    /** The digest bytes. */
    public byte[] bytes() {
        return bytes(value);
    }

    private static byte[] bytes(String value) {
        return HexFormat.of().parseHex(value.replace(":", ""));
    }

    /** Digest length of the functions RFC 8122 section 5 lists, 0 for others (kept, never used for DTLS). */
    private static int expectedBytes(String hashFunction) {
        return switch (hashFunction) {
            case "sha-1" -> 20;
            case "sha-224" -> 28;
            case SHA_256 -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> 0;
        };
    }
}
