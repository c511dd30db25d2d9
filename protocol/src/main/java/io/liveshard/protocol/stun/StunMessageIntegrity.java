package io.liveshard.protocol.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (RFC 8489 section 14.5, RFC 5389 section 15.4): HMAC-SHA1 over the message up to the attribute,
 * with the header's length field set as if MESSAGE-INTEGRITY were the last attribute, so a FINGERPRINT after it
 * does not change the result. ICE uses short-term credentials: the key is the password (RFC 8489 section 9.1.1;
 * ICE passwords are ASCII ice-chars, RFC 8839 section 5.4, so OpaqueString processing leaves them as they are).
 */
public final class StunMessageIntegrity {

    private static final String HMAC_SHA1 = "HmacSHA1";

    private StunMessageIntegrity() {
    }

    /** The short-term key for a password: its UTF-8 bytes. */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a decoded message carries a MESSAGE-INTEGRITY that matches {@code key}; false if it has none. */
    public static boolean verify(StunMessage message, byte[] key) {
        byte[] wire = message.wire();
        if (wire == null || !message.hasMessageIntegrity()) {
            return false;
        }
        int at = message.integrityOffset();
        byte[] expected = compute(wire, at, key);
        byte[] received = java.util.Arrays.copyOfRange(wire, at + 4, at + 4 + StunMessage.INTEGRITY_LENGTH);
        // Constant time, so the response time says nothing about how many bytes matched.
        return MessageDigest.isEqual(expected, received);
    }

    /**
     * HMAC-SHA1 over {@code message[0, integrityOffset)}, a message whose MESSAGE-INTEGRITY attribute starts at
     * {@code integrityOffset}, with the length field replaced by the body length up to the end of that attribute.
     */
    static byte[] compute(byte[] message, int integrityOffset, byte[] key) {
        int adjustedLength = integrityOffset + 4 + StunMessage.INTEGRITY_LENGTH - StunMessage.HEADER_LENGTH;
        Mac mac = newMac(key);
        mac.update(message, 0, 2);
        mac.update((byte) (adjustedLength >>> 8));
        mac.update((byte) adjustedLength);
        mac.update(message, 4, integrityOffset - 4);
        return mac.doFinal();
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            // An empty key is legal HMAC input but SecretKeySpec refuses it; a one-zero-byte key hashes the same.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, HMAC_SHA1));
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java SE platform must provide HmacSHA1 (javax.crypto.Mac javadoc).
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
