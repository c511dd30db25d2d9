package io.liveshard.protocol.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpProfileTest {

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void codesMapBothWays(SrtpProfile profile) {
        assertEquals(Optional.of(profile), SrtpProfile.fromCode(profile.code()));
    }

    @Test
    void codePointsAreThoseOfRfc5764AndRfc7714() {
        assertEquals(0x0001, SrtpProfile.AES_CM_128_HMAC_SHA1_80.code());
        assertEquals(0x0007, SrtpProfile.AEAD_AES_128_GCM.code());
        // SRTP_AES128_CM_HMAC_SHA1_32 and SRTP_AEAD_AES_256_GCM are not implemented.
        assertEquals(Optional.empty(), SrtpProfile.fromCode(0x0002));
        assertEquals(Optional.empty(), SrtpProfile.fromCode(0x0008));
    }

    @Test
    void keyMaterialLengths() {
        assertEquals(30, SrtpProfile.AES_CM_128_HMAC_SHA1_80.masterKeyLength()
                + SrtpProfile.AES_CM_128_HMAC_SHA1_80.masterSaltLength());
        assertEquals(28, SrtpProfile.AEAD_AES_128_GCM.masterKeyLength()
                + SrtpProfile.AEAD_AES_128_GCM.masterSaltLength());
        assertEquals(14, SrtpProfile.AES_CM_128_HMAC_SHA1_80.rtcpOverhead());
        assertEquals(20, SrtpProfile.AEAD_AES_128_GCM.rtcpOverhead());
    }
}
