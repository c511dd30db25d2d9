package io.liveshard.protocol.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM for SRTP and SRTCP (RFC 7714 sections 8 and 9).
 *
 * <p>The JDK forces one {@code Cipher.init} per packet because GCM takes a new IV every packet, and with it one
 * {@code GCMParameterSpec} (which copies the IV); decryption also buffers the ciphertext inside the cipher until the
 * tag is verified. Everything else (key, AAD word, IV scratch) is reused.
 */
final class SrtpAesGcmTransform implements SrtpTransform {

    /** RFC 7714 section 8.1: the IV is 96 bits. */
    private static final int IV_LENGTH = 12;

    private final SrtpProfile profile;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final Cipher gcm;
    private final byte[] iv = new byte[IV_LENGTH];
    private final byte[] word = new byte[4];

    SrtpAesGcmTransform(SrtpSessionKeys keys) {
        this.profile = keys.profile();
        this.key = new SecretKeySpec(keys.encryptionKey(), "AES");
        this.salt = keys.salt();
        try {
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
        }
    }

    @Override
    public int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) {
        rtpIv(ssrc, index);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(profile.tagLength() * 8, iv));
            // RFC 7714 section 8.2: the associated data is the whole RTP header, extensions included.
            gcm.updateAAD(buf, off, headerLength);
            return headerLength + gcm.doFinal(buf, off + headerLength, len - headerLength, buf, off + headerLength);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("srtp gcm encryption of a fresh index failed", e);
        }
    }

    @Override
    public int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index)
            throws SrtpException {
        rtpIv(ssrc, index);
        try {
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(profile.tagLength() * 8, iv));
            gcm.updateAAD(buf, off, headerLength);
            return headerLength + gcm.doFinal(buf, off + headerLength, len - headerLength, buf, off + headerLength);
        } catch (AEADBadTagException e) {
            throw authFailed("srtp", ssrc);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("srtp gcm decryption setup failed", e);
        }
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex) {
        rtcpIv(ssrc, srtcpIndex);
        int flagAndIndex = SrtpContext.SRTCP_E_FLAG | srtcpIndex;
        SrtpTransform.writeInt(word, 0, flagAndIndex);
        int header = SrtpContext.RTCP_HEADER_LENGTH;
        try {
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(profile.tagLength() * 8, iv));
            // RFC 7714 section 9.3: AAD is the first 8 octets, then the E flag and index word.
            gcm.updateAAD(buf, off, header);
            gcm.updateAAD(word, 0, 4);
            int sealed = header + gcm.doFinal(buf, off + header, len - header, buf, off + header);
            // RFC 7714 section 9.1: the index word follows the tag.
            SrtpTransform.writeInt(buf, off + sealed, flagAndIndex);
            return sealed + SrtpContext.SRTCP_INDEX_LENGTH;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("srtcp gcm encryption of a fresh index failed", e);
        }
    }

    @Override
    public int srtcpIndexOffset(int len) {
        return len - SrtpContext.SRTCP_INDEX_LENGTH;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int flagAndIndex) throws SrtpException {
        rtcpIv(ssrc, flagAndIndex & SrtpContext.MAX_SRTCP_INDEX);
        SrtpTransform.writeInt(word, 0, flagAndIndex);
        int sealedEnd = len - SrtpContext.SRTCP_INDEX_LENGTH;
        // RFC 7714 section 9.3 and 17.3: without the E flag the whole packet is associated data and only the tag
        // goes through the cipher.
        int aad = (flagAndIndex & SrtpContext.SRTCP_E_FLAG) != 0
                ? SrtpContext.RTCP_HEADER_LENGTH
                : sealedEnd - profile.tagLength();
        try {
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(profile.tagLength() * 8, iv));
            gcm.updateAAD(buf, off, aad);
            gcm.updateAAD(word, 0, 4);
            return aad + gcm.doFinal(buf, off + aad, sealedEnd - aad, buf, off + aad);
        } catch (AEADBadTagException e) {
            throw authFailed("srtcp", ssrc);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("srtcp gcm decryption setup failed", e);
        }
    }

    /** RFC 7714 section 8.1: salt XOR (0x0000 || SSRC || ROC || SEQ), i.e. the 48-bit index in the low octets. */
    private void rtpIv(int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, IV_LENGTH);
        iv[2] ^= (byte) (ssrc >>> 24);
        iv[3] ^= (byte) (ssrc >>> 16);
        iv[4] ^= (byte) (ssrc >>> 8);
        iv[5] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[6 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    /** RFC 7714 section 9.1: salt XOR (0x0000 || SSRC || 0x0000 || 0 || 31-bit SRTCP index). */
    private void rtcpIv(int ssrc, int srtcpIndex) {
        System.arraycopy(salt, 0, iv, 0, IV_LENGTH);
        iv[2] ^= (byte) (ssrc >>> 24);
        iv[3] ^= (byte) (ssrc >>> 16);
        iv[4] ^= (byte) (ssrc >>> 8);
        iv[5] ^= (byte) ssrc;
        iv[8] ^= (byte) (srtcpIndex >>> 24);
        iv[9] ^= (byte) (srtcpIndex >>> 16);
        iv[10] ^= (byte) (srtcpIndex >>> 8);
        iv[11] ^= (byte) srtcpIndex;
    }

    private static SrtpException authFailed(String protocol, int ssrc) {
        return new SrtpException(SrtpException.Reason.AUTH_FAILED,
                protocol + " ssrc " + Integer.toUnsignedString(ssrc) + ": gcm tag does not match");
    }
}
