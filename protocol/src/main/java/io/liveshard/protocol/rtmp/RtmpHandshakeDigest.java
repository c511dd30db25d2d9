package io.liveshard.protocol.rtmp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 digests of the "complex" handshake that Flash Player 9+ and FMS 3+ use, which the Adobe RTMP
 * specification 1.0 (section 5.2) leaves out. Flash Player and the RTMP clients modelled on it (ffmpeg, librtmp)
 * check the server's digests before they play certain content, so a server answers in kind.
 *
 * <p>A 1536-byte C1/S1 hides a 32-byte digest in one of two 764-byte blocks; the four bytes at the start of the
 * block give the digest's offset inside it. The digest is the HMAC of the packet without those 32 bytes.
 * <ul>
 *   <li>Scheme 0: offset = (sum of bytes 8..11) mod 728 + 12.</li>
 *   <li>Scheme 1: offset = (sum of bytes 772..775) mod 728 + 776.</li>
 * </ul>
 * S2 ends with the HMAC of its first 1504 bytes, keyed with the HMAC of C1's digest under the full server key.
 */
final class RtmpHandshakeDigest {

    /** Size of C1, C2, S1 and S2 (section 5.2.3). */
    static final int PACKET_SIZE = 1536;
    static final int DIGEST_SIZE = 32;

    private static final byte[] KEY_SUFFIX = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE};

    /** Keys C1's digest: "Genuine Adobe Flash Player 001". */
    static final byte[] PLAYER_KEY = "Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII);
    /** Keys S1's digest: "Genuine Adobe Flash Media Server 001". */
    static final byte[] SERVER_KEY = "Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII);
    /** The server key followed by the 32-byte constant; keys the key of S2's digest. */
    static final byte[] SERVER_FULL_KEY = concat(SERVER_KEY, KEY_SUFFIX);

    private RtmpHandshakeDigest() {
    }

    /** Where the digest of a C1/S1 lies under digest scheme 0 or 1. */
    static int digestOffset(byte[] packet, int scheme) {
        int base = scheme == 0 ? 8 : 772;
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF)
                + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    /** The HMAC of the packet without the 32 digest bytes at {@code digestOffset}. */
    static byte[] packetDigest(byte[] packet, int digestOffset, byte[] key) {
        Mac mac = hmac(key);
        mac.update(packet, 0, digestOffset);
        mac.update(packet, digestOffset + DIGEST_SIZE, packet.length - digestOffset - DIGEST_SIZE);
        return mac.doFinal();
    }

    /** The scheme whose digest in C1 is valid under the player key, or empty for a simple-handshake C1. */
    static Optional<Integer> findClientScheme(byte[] c1) {
        for (int scheme = 0; scheme <= 1; scheme++) {
            int offset = digestOffset(c1, scheme);
            byte[] expected = packetDigest(c1, offset, PLAYER_KEY);
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(c1, offset, offset + DIGEST_SIZE))) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }

    /** Writes S1's digest into it, at the position of the given scheme. */
    static void signServerPacket(byte[] s1, int scheme) {
        int offset = digestOffset(s1, scheme);
        System.arraycopy(packetDigest(s1, offset, SERVER_KEY), 0, s1, offset, DIGEST_SIZE);
    }

    /** Writes S2's trailing digest, keyed with C1's digest under the full server key, into it. */
    static void signResponse(byte[] s2, byte[] c1Digest) {
        byte[] key = hmac(SERVER_FULL_KEY).doFinal(c1Digest);
        Mac mac = hmac(key);
        mac.update(s2, 0, PACKET_SIZE - DIGEST_SIZE);
        System.arraycopy(mac.doFinal(), 0, s2, PACKET_SIZE - DIGEST_SIZE, DIGEST_SIZE);
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA256.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
