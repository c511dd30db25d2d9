package io.liveshard.protocol.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation function (RFC 3711 section 4.3) with the AES-CM pseudo-random function of section 4.3.3,
 * which RFC 7714 section 11 keeps for AES-GCM.
 *
 * <p>The key derivation rate is zero, as DTLS-SRTP requires (RFC 5764 section 4.1.2 fixes no rate and SDP cannot
 * signal one there), so {@code r = index DIV kdr} is zero and the keys are derived once per master key. The input
 * block is the master salt left-aligned in 128 bits, XORed with the label at octet 7, followed by a 16-bit block
 * counter; for a 96-bit GCM salt the two octets beyond the salt are zero, as in libsrtp.
 */
public final class SrtpKeyDerivation {

    /** RFC 3711 section 4.3.2: label of the SRTP encryption key. */
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    /** RFC 3711 section 4.3.2: label of the SRTP authentication key. */
    static final int LABEL_RTP_AUTH = 0x01;
    /** RFC 3711 section 4.3.2: label of the SRTP salt. */
    static final int LABEL_RTP_SALT = 0x02;
    /** RFC 3711 section 4.3.2: label of the SRTCP encryption key. */
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    /** RFC 3711 section 4.3.2: label of the SRTCP authentication key. */
    static final int LABEL_RTCP_AUTH = 0x04;
    /** RFC 3711 section 4.3.2: label of the SRTCP salt. */
    static final int LABEL_RTCP_SALT = 0x05;

    private static final int AES_BLOCK = 16;

    private SrtpKeyDerivation() {
    }

    /** The session keys for SRTP (labels 0, 1, 2) from a master key and salt of the profile's lengths. */
    public static SrtpSessionKeys deriveSrtp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return derive(profile, masterKey, masterSalt, LABEL_RTP_ENCRYPTION, LABEL_RTP_AUTH, LABEL_RTP_SALT);
    }

    /** The session keys for SRTCP (labels 3, 4, 5) from a master key and salt of the profile's lengths. */
    public static SrtpSessionKeys deriveSrtcp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return derive(profile, masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, LABEL_RTCP_AUTH, LABEL_RTCP_SALT);
    }

    private static SrtpSessionKeys derive(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
                                          int encryptionLabel, int authLabel, int saltLabel) {
        if (masterKey.length != profile.masterKeyLength() || masterSalt.length != profile.masterSaltLength()) {
            throw new IllegalArgumentException("srtp " + profile + ": master key/salt of " + masterKey.length + "/"
                    + masterSalt.length + " octets, expected " + profile.masterKeyLength() + "/"
                    + profile.masterSaltLength());
        }
        try {
            Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
            return new SrtpSessionKeys(profile,
                    prf(aes, masterSalt, encryptionLabel, profile.masterKeyLength()),
                    prf(aes, masterSalt, authLabel, profile.authKeyLength()),
                    prf(aes, masterSalt, saltLabel, profile.masterSaltLength()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/ECB/NoPadding", e);
        }
    }

    /** RFC 3711 section 4.3.3: the first {@code length} octets of AES-CM keystream for the label's input block. */
    static byte[] prf(Cipher aesEcb, byte[] masterSalt, int label, int length) throws GeneralSecurityException {
        byte[] out = new byte[length];
        byte[] block = new byte[AES_BLOCK];
        byte[] keystream = new byte[AES_BLOCK];
        for (int offset = 0, counter = 0; offset < length; offset += AES_BLOCK, counter++) {
            Arrays.fill(block, (byte) 0);
            System.arraycopy(masterSalt, 0, block, 0, masterSalt.length);
            block[7] ^= (byte) label;
            block[14] = (byte) (counter >>> 8);
            block[15] = (byte) counter;
            aesEcb.doFinal(block, 0, AES_BLOCK, keystream, 0);
            System.arraycopy(keystream, 0, out, offset, Math.min(AES_BLOCK, length - offset));
        }
        return out;
    }
}
