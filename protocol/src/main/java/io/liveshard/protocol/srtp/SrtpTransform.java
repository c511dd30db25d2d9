package io.liveshard.protocol.srtp;

/**
 * The cryptographic half of one profile for one of SRTP or SRTCP: encrypts and authenticates a packet whose index
 * the {@link SrtpContext} already worked out, in place in the caller's buffer. Packet parsing, index estimation and
 * replay protection stay in the context, which is the same for every profile.
 *
 * <p>Not thread-safe: it reuses its {@code Cipher}, {@code Mac} and scratch buffers for every packet.
 */
sealed interface SrtpTransform permits SrtpAesCmTransform, SrtpAesGcmTransform {

    /**
     * Encrypts the payload after {@code headerLength} and appends the tag.
     *
     * @return the protected length, {@code len} plus the tag
     */
    int protectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index);

    /**
     * Verifies the tag at the end of the packet and decrypts the payload.
     *
     * @return the plain length, {@code len} minus the tag
     */
    int unprotectRtp(byte[] buf, int off, int len, int headerLength, int ssrc, long index) throws SrtpException;

    /**
     * Encrypts everything after the first 8 octets and appends the E flag with the 31-bit index and the tag, in the
     * order the profile prescribes.
     *
     * @return the protected length, {@code len} plus tag and index
     */
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int srtcpIndex);

    /** Offset from {@code off} of the E flag and SRTCP index word in a protected packet of {@code len} octets. */
    int srtcpIndexOffset(int len);

    /**
     * Verifies the tag and, when the E flag is set, decrypts.
     *
     * @param flagAndIndex the word at {@link #srtcpIndexOffset}: E flag in the top bit, then the 31-bit index
     * @return the plain RTCP length
     */
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int flagAndIndex) throws SrtpException;

    static void writeInt(byte[] buf, int at, int value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }

    static int readInt(byte[] buf, int at) {
        return (buf[at] & 0xff) << 24 | (buf[at + 1] & 0xff) << 16 | (buf[at + 2] & 0xff) << 8 | buf[at + 3] & 0xff;
    }
}
