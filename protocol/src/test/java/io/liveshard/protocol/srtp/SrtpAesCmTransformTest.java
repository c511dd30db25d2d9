package io.liveshard.protocol.srtp;

import static io.liveshard.protocol.srtp.SrtpTestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3711 Appendix B.2: the AES-CM keystream for a zero ROC, sequence number and SSRC. */
class SrtpAesCmTransformTest {

    private static final int BLOCKS = 0xFF02;
    private static byte[] keystream;

    private static synchronized byte[] keystream() {
        if (keystream == null) {
            SrtpSessionKeys keys = new SrtpSessionKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                    hex("2B7E151628AED2A6ABF7158809CF4F3C"), new byte[20], hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
            // Encrypting zeros with no header leaves the keystream itself.
            byte[] zeros = new byte[BLOCKS * 16 + 10];
            new SrtpAesCmTransform(keys).protectRtp(zeros, 0, BLOCKS * 16, 0, 0, 0);
            keystream = zeros;
        }
        return keystream;
    }

    @ParameterizedTest(name = "counter block {0}")
    @CsvSource({
            "0000, E03EAD0935C95E80E166B16DD92B4EB4",
            "0001, D23513162B02D0F72A43A2FE4A5F97AB",
            "0002, 41E95B3BB0A2E8DD477901E4FCA894C0",
            "FEFF, EC8CDF7398607CB0F2D21675EA9EA1E4",
            "FF00, 362B7C3C6773516318A077D7FC5073AE",
            "FF01, 6A2CC3787889374FBEB4C81B17BA6C44",
    })
    void keystreamMatchesAppendixB2(String counter, String expected) {
        int block = Integer.parseInt(counter, 16);
        assertEquals(expected.toLowerCase(), hex(keystream(), block * 16, 16));
    }
}
