package io.liveshard.protocol.srtp;

import java.util.Optional;

/**
 * The SRTP protection profiles LiveShard speaks, with their DTLS-SRTP code points (RFC 5764 section 4.1.2, RFC 7714
 * section 14.2) and the key material each needs.
 *
 * <p>Both profiles share the master key length; they differ in salt length and in how packets are authenticated:
 * AES-CM appends an HMAC-SHA1 tag truncated to 80 bits (RFC 3711 section 4.2), AES-GCM appends its 128-bit GCM tag
 * (RFC 7714 section 7).
 */
public enum SrtpProfile {
    /** RFC 3711 AES counter mode with HMAC-SHA1 truncated to 80 bits; RFC 5764 {@code SRTP_AES128_CM_HMAC_SHA1_80}. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 20, 10),
    /** RFC 7714 AES-GCM with a 128-bit key and 128-bit tag; {@code SRTP_AEAD_AES_128_GCM}. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 0, 16);

    private final int code;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final int authKeyLength;
    private final int tagLength;

    SrtpProfile(int code, int masterKeyLength, int masterSaltLength, int authKeyLength, int tagLength) {
        this.code = code;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.authKeyLength = authKeyLength;
        this.tagLength = tagLength;
    }

    /** The two-byte SRTPProtectionProfile value carried in the DTLS {@code use_srtp} extension. */
    public int code() {
        return code;
    }

    /** The profile with this DTLS-SRTP code point, or empty for one LiveShard does not implement. */
    public static Optional<SrtpProfile> fromCode(int code) {
        for (SrtpProfile profile : values()) {
            if (profile.code == code) {
                return Optional.of(profile);
            }
        }
        return Optional.empty();
    }

    /** Octets of master key, which is also the session encryption key length. */
    public int masterKeyLength() {
        return masterKeyLength;
    }

    /** Octets of master salt, which is also the session salt length (112 bits for AES-CM, 96 bits for GCM). */
    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Octets of session authentication key; zero for AEAD profiles, whose cipher authenticates. */
    public int authKeyLength() {
        return authKeyLength;
    }

    /** Octets of authentication tag appended to every SRTP and SRTCP packet. */
    public int tagLength() {
        return tagLength;
    }

    /** Octets {@link SrtpContext#protectRtp} adds to an RTP packet: just the tag. */
    public int rtpOverhead() {
        return tagLength;
    }

    /** Octets {@link SrtpContext#protectRtcp} adds to an RTCP packet: the tag and the E flag with SRTCP index. */
    public int rtcpOverhead() {
        return tagLength + SrtpContext.SRTCP_INDEX_LENGTH;
    }

    /** Whether the cipher authenticates (RFC 7714) rather than a separate HMAC (RFC 3711). */
    public boolean isAead() {
        return authKeyLength == 0;
    }
}
