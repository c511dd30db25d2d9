package io.liveshard.protocol.stun;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * FINGERPRINT (RFC 8489 section 14.7, RFC 5389 section 15.5): the CRC-32 of the message up to the attribute, XOR-ed
 * with 0x5354554e, so a STUN message is told apart from RTP, DTLS or another protocol's packet on the same port.
 * It is always the last attribute, so the header's length field already counts it.
 */
public final class StunFingerprint {

    /** RFC 8489 section 14.7: "STUN" in ASCII, XOR-ed into the CRC so it differs from other protocols' CRC-32. */
    public static final int XOR_VALUE = 0x5354554e;

    private StunFingerprint() {
    }

    /** Whether a decoded message carries a FINGERPRINT that matches its bytes; false if it has none. */
    public static boolean verify(StunMessage message) {
        byte[] wire = message.wire();
        if (wire == null || !message.hasFingerprint()) {
            return false;
        }
        int at = message.fingerprintOffset();
        return compute(wire, at) == ByteBuffer.wrap(wire, at + 4, StunMessage.FINGERPRINT_LENGTH).getInt();
    }

    /** The FINGERPRINT value for an attribute starting at {@code fingerprintOffset}. */
    static int compute(byte[] message, int fingerprintOffset) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, fingerprintOffset);
        return (int) crc.getValue() ^ XOR_VALUE;
    }
}
