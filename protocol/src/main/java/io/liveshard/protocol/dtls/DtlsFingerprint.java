package io.liveshard.protocol.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint as SDP carries it in {@code a=fingerprint} (RFC 8122 section 5): a hash function name
 * and the colon-separated upper-case hex of the hash of the DER certificate, e.g. {@code sha-256 AB:CD:...}.
 *
 * @param hashFunction the RFC 8122 hash function token, lower case ({@code sha-256})
 * @param value the hash of the certificate's DER encoding
 */
public record DtlsFingerprint(String hashFunction, byte[] value) {

    /** The hash WebRTC uses (RFC 8827 section 6.5 requires SHA-256 support) and the one LiveShard announces. */
    public static final String SHA_256 = "sha-256";
    /** The longest SDP fingerprint attribute value accepted: "sha-512 " and 64 hex pairs with colons. */
    public static final int MAX_SDP_LENGTH = 8 + 64 * 3;

    public DtlsFingerprint {
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        value = value.clone();
    }

    /** The fingerprint of a DER certificate with one of the RFC 8122 hash functions LiveShard accepts. */
    public static DtlsFingerprint of(String hashFunction, byte[] derCertificate) {
        return new DtlsFingerprint(hashFunction, digest(hashFunction).digest(derCertificate));
    }

    /**
     * Parses an {@code a=fingerprint} value ({@code hash-func SP fingerprint}, RFC 8122 section 5).
     *
     * @throws IllegalArgumentException naming what is wrong, for an unknown hash, bad hex or a wrong length
     */
    public static DtlsFingerprint parse(String sdpValue) {
        if (sdpValue.length() > MAX_SDP_LENGTH) {
            throw new IllegalArgumentException("dtls fingerprint of " + sdpValue.length() + " characters");
        }
        String[] parts = sdpValue.trim().split(" +");
        if (parts.length != 2) {
            throw new IllegalArgumentException("dtls fingerprint '" + sdpValue + "' is not 'hash-func fingerprint'");
        }
        MessageDigest digest = digest(parts[0]);
        String hex = parts[1];
        int length = digest.getDigestLength();
        if (hex.length() != length * 3 - 1) {
            throw new IllegalArgumentException("dtls fingerprint '" + sdpValue + "' is not " + length
                    + " colon-separated hex octets");
        }
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            if (i > 0 && hex.charAt(i * 3 - 1) != ':') {
                throw new IllegalArgumentException("dtls fingerprint '" + sdpValue + "' lacks a colon at " + i);
            }
            try {
                value[i] = (byte) HexFormat.fromHexDigits(hex, i * 3, i * 3 + 2);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("dtls fingerprint '" + sdpValue + "' has bad hex", e);
            }
        }
        return new DtlsFingerprint(parts[0], value);
    }

    /** Whether a DER certificate hashes to this fingerprint, compared in constant time. */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(value, digest(hashFunction).digest(derCertificate));
    }

    /** The {@code a=fingerprint} value: {@code sha-256 AB:CD:...}. */
    public String toSdp() {
        return hashFunction + " " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DtlsFingerprint that && hashFunction.equals(that.hashFunction)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return toSdp();
    }

    /** RFC 8122 section 5 hash names; MD2 and MD5 are left out as section 5 deprecates them. */
    private static MessageDigest digest(String hashFunction) {
        String algorithm = switch (hashFunction.toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case SHA_256 -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("dtls fingerprint hash '" + hashFunction
                    + "' is not one of sha-1, sha-224, sha-256, sha-384, sha-512");
        };
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
