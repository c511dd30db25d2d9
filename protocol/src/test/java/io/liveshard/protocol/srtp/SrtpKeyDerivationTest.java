package io.liveshard.protocol.srtp;

import static io.liveshard.protocol.srtp.SrtpTestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 3711 Appendix B.3: key derivation with the AES-CM PRF. */
class SrtpKeyDerivationTest {

    private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void derivesTheAppendixB3SessionKeys() {
        SrtpSessionKeys keys = SrtpKeyDerivation.deriveSrtp(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY,
                MASTER_SALT);
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"), keys.encryptionKey());
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"), keys.salt());
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), keys.authKey());
    }

    @Test
    void theAuthKeyPrfRunsOverSeveralBlocksAsAppendixB3Lists() throws Exception {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(MASTER_KEY, "AES"));
        byte[] stream = SrtpKeyDerivation.prf(aes, MASTER_SALT, SrtpKeyDerivation.LABEL_RTP_AUTH, 94);
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"), stream);
    }

    @Test
    void srtcpKeysUseTheirOwnLabels() {
        SrtpSessionKeys rtp = SrtpKeyDerivation.deriveSrtp(SrtpProfile.AEAD_AES_128_GCM, MASTER_KEY,
                hex("0EC675AD498AFEEBB6960B3A"));
        SrtpSessionKeys rtcp = SrtpKeyDerivation.deriveSrtcp(SrtpProfile.AEAD_AES_128_GCM, MASTER_KEY,
                hex("0EC675AD498AFEEBB6960B3A"));
        assertEquals(12, rtp.salt().length);
        assertEquals(0, rtp.authKey().length);
        assertEquals(false, java.util.Arrays.equals(rtp.encryptionKey(), rtcp.encryptionKey()));
    }

    @Test
    void refusesMasterKeysOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> SrtpKeyDerivation.deriveSrtp(
                SrtpProfile.AEAD_AES_128_GCM, MASTER_KEY, MASTER_SALT));
        assertThrows(IllegalArgumentException.class, () -> new SrtpContext(
                SrtpProfile.AES_CM_128_HMAC_SHA1_80, new byte[15], MASTER_SALT));
    }

    @Test
    void keysStayOutOfToString() {
        SrtpSessionKeys keys = SrtpKeyDerivation.deriveSrtp(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY,
                MASTER_SALT);
        assertEquals("SrtpSessionKeys[AES_CM_128_HMAC_SHA1_80]", keys.toString());
    }
}
