package io.liveshard.protocol.srtp;

import static io.liveshard.protocol.srtp.SrtpTestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 7714 sections 16.1 and 17.1/17.3: AEAD_AES_128_GCM on the RFC's packets. The vectors give session keys, not
 * master keys, so they drive the transform (and a context built from session keys) below key derivation.
 */
class SrtpAesGcmVectorTest {

    private static final byte[] KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = hex("517569642070726f2071756f");
    private static final SrtpSessionKeys KEYS = new SrtpSessionKeys(SrtpProfile.AEAD_AES_128_GCM, KEY, new byte[0],
            SALT);

    /** Section 16: 12-octet header, sequence number 0xf17b, SSRC 0x5501a0b2, "Gallia est omnis divisa..." */
    private static final String RTP = "8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";
    /** Section 16.1.1. */
    private static final String SRTP = "8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce";
    /** Section 17.1 to 17.4: the sender report that the subsections protect, SSRC "Mars". */
    private static final String RTCP = "81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61"
            + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    /** Section 17.1: encrypted, tag, then E flag with index 0x5d4. */
    private static final String SRTCP = "81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa458"
            + "96cf4d2fc5abf87245d9eade" + "800005d4";
    /** Section 17.3: authenticated only, E flag clear. */
    private static final String SRTCP_TAG_ONLY = RTCP + "841dd9683dd78ec92ae58790125f62b3" + "000005d4";
    private static final int SRTCP_INDEX = 0x5d4;
    private static final int MARS = 0x4d617273;

    @Test
    void protectsTheSection16Packet() {
        byte[] buf = Arrays.copyOf(hex(RTP), 200);
        int length = new SrtpAesGcmTransform(KEYS).protectRtp(buf, 0, hex(RTP).length, 12, 0x5501a0b2, 0xf17b);
        assertEquals(SRTP, hex(buf, 0, length));
    }

    @Test
    void aContextFromSessionKeysProtectsAndUnprotectsTheSection16Packet() throws SrtpException {
        byte[] buf = Arrays.copyOf(hex(RTP), 200);
        int length = new SrtpContext(KEYS, KEYS).protectRtp(buf, 0, hex(RTP).length);
        assertEquals(SRTP, hex(buf, 0, length));

        byte[] received = Arrays.copyOf(hex(SRTP), 200);
        int plain = new SrtpContext(KEYS, KEYS).unprotectRtp(received, 0, hex(SRTP).length);
        assertEquals(RTP, hex(received, 0, plain));
    }

    @Test
    void protectsTheSection17_1SenderReport() {
        byte[] buf = Arrays.copyOf(hex(RTCP), 200);
        int length = new SrtpAesGcmTransform(KEYS).protectRtcp(buf, 0, hex(RTCP).length, MARS, SRTCP_INDEX);
        assertEquals(SRTCP, hex(buf, 0, length));
    }

    @Test
    void unprotectsTheSection17_1SenderReport() throws SrtpException {
        byte[] buf = hex(SRTCP);
        int length = new SrtpContext(KEYS, KEYS).unprotectRtcp(buf, 0, buf.length);
        assertEquals(RTCP, hex(buf, 0, length));
    }

    @Test
    void unprotectsTheSection17_3AuthenticatedOnlySenderReport() throws SrtpException {
        byte[] buf = hex(SRTCP_TAG_ONLY);
        int length = new SrtpContext(KEYS, KEYS).unprotectRtcp(buf, 0, buf.length);
        assertEquals(RTCP, hex(buf, 0, length));
    }

    @Test
    void aFlippedBitInTheSection16PacketFailsTheTag() {
        byte[] buf = hex(SRTP);
        buf[20] ^= 1;
        SrtpException e = assertThrows(SrtpException.class,
                () -> new SrtpContext(KEYS, KEYS).unprotectRtp(buf, 0, buf.length));
        assertEquals(SrtpException.Reason.AUTH_FAILED, e.reason());
    }

    @Test
    void aClearedEFlagInTheSection17_1PacketFailsTheTag() {
        byte[] buf = hex(SRTCP);
        buf[buf.length - 4] &= 0x7f;
        SrtpException e = assertThrows(SrtpException.class,
                () -> new SrtpContext(KEYS, KEYS).unprotectRtcp(buf, 0, buf.length));
        assertEquals(SrtpException.Reason.AUTH_FAILED, e.reason());
    }
}
