package io.liveshard.protocol.srtp;

import java.util.Objects;

/**
 * SRTP and SRTCP for one direction of a DTLS-SRTP association (RFC 3711, RFC 7714): the session keys derived from
 * one master key and salt, and per SSRC the rollover counter, highest sequence number, replay windows and SRTCP
 * index. The egress server holds a sending context (protects RTP and sender reports) made from its own master key
 * and a receiving context (unprotects receiver reports, NACK, PLI) made from the browser's.
 *
 * <p>Every method works in place in the caller's buffer: {@code protect*} need {@link SrtpProfile#rtpOverhead()}
 * or {@link SrtpProfile#rtcpOverhead()} spare octets after the packet, {@code unprotect*} shrink it. They return the
 * new length or throw an {@link SrtpException} whose reason the caller counts before dropping the packet; a refused
 * packet leaves the context's state unchanged (only authenticated packets move windows or create streams).
 *
 * <p>Sending: the index comes from the RTP sequence number with the ROC estimated as a receiver would (RFC 3711
 * Appendix A), so the ROC increments when sequence numbers wrap from 65535 to 0 and a late packet still gets the
 * index it was numbered for. An index is never protected twice (that would reuse keystream): a retransmission on
 * the same SSRC must resend the bytes already protected, or go out on an RTX SSRC with a fresh sequence number.
 *
 * <p>Not thread-safe: one thread at a time per context, which suits one context per viewer direction.
 */
public final class SrtpContext {

    /** SSRCs tracked per context: a WebRTC viewer has video, audio and their RTX streams; RTCP adds a few. */
    public static final int MAX_STREAMS = 16;
    /** RFC 3550 section 5.1: the fixed RTP header. */
    static final int RTP_HEADER_LENGTH = 12;
    /** RFC 3550 section 6.4.1: the RTCP header up to and including the sender SSRC, which SRTCP leaves clear. */
    static final int RTCP_HEADER_LENGTH = 8;
    /** RFC 3711 section 3.4: the E flag and 31-bit SRTCP index word. */
    static final int SRTCP_INDEX_LENGTH = 4;
    /** RFC 3711 section 3.4: the E flag says the packet is encrypted. */
    static final int SRTCP_E_FLAG = 0x8000_0000;
    /** RFC 3711 section 3.4: the SRTCP index is 31 bits. */
    static final int MAX_SRTCP_INDEX = 0x7fff_ffff;
    private static final int RTP_VERSION = 2;

    private final SrtpProfile profile;
    private final SrtpTransform rtp;
    private final SrtpTransform rtcp;
    private final SrtpStreamState[] streams = new SrtpStreamState[MAX_STREAMS];
    private int streamCount;

    /** A context for the direction protected by this master key and salt (from the DTLS-SRTP exporter). */
    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(SrtpKeyDerivation.deriveSrtp(profile, masterKey, masterSalt),
                SrtpKeyDerivation.deriveSrtcp(profile, masterKey, masterSalt));
    }

    /** A context from session keys directly, as the RFC 7714 test vectors give them. */
    SrtpContext(SrtpSessionKeys rtpKeys, SrtpSessionKeys rtcpKeys) {
        if (rtpKeys.profile() != rtcpKeys.profile()) {
            throw new IllegalArgumentException("srtp and srtcp keys of different profiles");
        }
        this.profile = rtpKeys.profile();
        this.rtp = transform(rtpKeys);
        this.rtcp = transform(rtcpKeys);
    }

    private static SrtpTransform transform(SrtpSessionKeys keys) {
        return keys.profile().isAead() ? new SrtpAesGcmTransform(keys) : new SrtpAesCmTransform(keys);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Encrypts and authenticates the RTP packet at {@code buf[off, off + len)} in place.
     *
     * @return the SRTP length, {@code len + profile().rtpOverhead()}
     */
    public int protectRtp(byte[] buf, int off, int len) throws SrtpException {
        int headerLength = rtpHeaderLength(buf, off, len, 0);
        requireRoom(buf, off, len, profile.rtpOverhead());
        int ssrc = SrtpTransform.readInt(buf, off + 8);
        SrtpStreamState stream = findOrAdd(ssrc);
        long index = stream.estimateIndex(sequenceNumber(buf, off));
        checkIndex(stream, index, "srtp send");
        SrtpReplayWindow window = stream.rtpWindow;
        try {
            window.check(index, ssrc);
        } catch (SrtpException e) {
            throw new SrtpException(SrtpException.Reason.INDEX_REUSED, "srtp send: " + e.getMessage());
        }
        int protectedLength = rtp.protectRtp(buf, off, len, headerLength, ssrc, index);
        window.accept(index);
        stream.advanceTo(index);
        return protectedLength;
    }

    /**
     * Protects again a packet this context already sent, to answer a NACK on the original stream (RFC 4585 6.2.1)
     * when the receiver has no RTX: the send replay check is skipped, which is safe only because the packet is
     * byte-identical to the first sending (same header, same payload): the same index then yields the same
     * ciphertext, so no keystream is reused on different plaintext (RFC 3711 9.1). The caller guarantees that.
     *
     * @return the SRTP length
     * @throws SrtpException when the packet's index is newer than anything sent on its SSRC (not a retransmission)
     */
    public int protectRtpRetransmission(byte[] buf, int off, int len) throws SrtpException {
        int headerLength = rtpHeaderLength(buf, off, len, 0);
        requireRoom(buf, off, len, profile.rtpOverhead());
        int ssrc = SrtpTransform.readInt(buf, off + 8);
        SrtpStreamState stream = find(ssrc);
        long index = stream == null ? -1 : stream.estimateIndex(sequenceNumber(buf, off));
        if (stream == null || index < 0 || index > stream.rtpWindow.highest()) {
            throw new SrtpException(SrtpException.Reason.TOO_OLD, "srtp retransmission ssrc "
                    + Integer.toUnsignedString(ssrc) + ": sequence number was never sent");
        }
        return rtp.protectRtp(buf, off, len, headerLength, ssrc, index);
    }

    /**
     * Verifies, replay-checks and decrypts the SRTP packet at {@code buf[off, off + len)} in place.
     *
     * @return the RTP length
     */
    public int unprotectRtp(byte[] buf, int off, int len) throws SrtpException {
        int headerLength = rtpHeaderLength(buf, off, len, profile.tagLength());
        int ssrc = SrtpTransform.readInt(buf, off + 8);
        SrtpStreamState stream = find(ssrc);
        SrtpStreamState probe = stream != null ? stream : new SrtpStreamState(ssrc);
        long index = probe.estimateIndex(sequenceNumber(buf, off));
        checkIndex(probe, index, "srtp receive");
        probe.rtpWindow.check(index, ssrc);
        int plainLength = rtp.unprotectRtp(buf, off, len, headerLength, ssrc, index);
        if (stream == null) {
            stream = adopt(probe);
        }
        stream.rtpWindow.accept(index);
        stream.advanceTo(index);
        return plainLength;
    }

    /**
     * Encrypts and authenticates the RTCP compound packet at {@code buf[off, off + len)} in place, with the next
     * SRTCP index of its sender SSRC and the E flag set.
     *
     * @return the SRTCP length, {@code len + profile().rtcpOverhead()}
     */
    public int protectRtcp(byte[] buf, int off, int len) throws SrtpException {
        checkRtcpHeader(buf, off, len, 0);
        requireRoom(buf, off, len, profile.rtcpOverhead());
        int ssrc = SrtpTransform.readInt(buf, off + 4);
        SrtpStreamState stream = findOrAdd(ssrc);
        int index = stream.nextSrtcpIndex;
        if (index < 0) {
            throw new SrtpException(SrtpException.Reason.INDEX_EXHAUSTED,
                    "srtcp send ssrc " + Integer.toUnsignedString(ssrc) + ": 2^31 packets sent, rekey");
        }
        int protectedLength = rtcp.protectRtcp(buf, off, len, ssrc, index);
        // Reaches Integer.MIN_VALUE after the last index, which the check above refuses.
        stream.nextSrtcpIndex = index + 1;
        return protectedLength;
    }

    /**
     * Verifies, replay-checks and (when the E flag says so) decrypts the SRTCP packet at {@code buf[off, off + len)}
     * in place.
     *
     * @return the RTCP length
     */
    public int unprotectRtcp(byte[] buf, int off, int len) throws SrtpException {
        checkRtcpHeader(buf, off, len, profile.rtcpOverhead());
        int ssrc = SrtpTransform.readInt(buf, off + 4);
        int flagAndIndex = SrtpTransform.readInt(buf, off + rtcp.srtcpIndexOffset(len));
        long index = flagAndIndex & MAX_SRTCP_INDEX;
        SrtpStreamState stream = find(ssrc);
        SrtpStreamState probe = stream != null ? stream : new SrtpStreamState(ssrc);
        probe.rtcpWindow.check(index, ssrc);
        int plainLength = rtcp.unprotectRtcp(buf, off, len, ssrc, flagAndIndex);
        if (stream == null) {
            stream = adopt(probe);
        }
        stream.rtcpWindow.accept(index);
        return plainLength;
    }

    /** The rollover counter of an SSRC's SRTP stream, or -1 for an SSRC this context has not seen. */
    public long rolloverCounter(int ssrc) {
        SrtpStreamState stream = find(ssrc);
        return stream == null ? -1 : stream.rolloverCounter();
    }

    private SrtpStreamState find(int ssrc) {
        for (int i = 0; i < streamCount; i++) {
            if (streams[i].ssrc == ssrc) {
                return streams[i];
            }
        }
        return null;
    }

    private SrtpStreamState findOrAdd(int ssrc) throws SrtpException {
        SrtpStreamState stream = find(ssrc);
        return stream != null ? stream : adopt(new SrtpStreamState(ssrc));
    }

    private SrtpStreamState adopt(SrtpStreamState stream) throws SrtpException {
        if (streamCount == MAX_STREAMS) {
            throw tooManyStreams(stream.ssrc);
        }
        streams[streamCount++] = stream;
        return stream;
    }

    private static SrtpException tooManyStreams(int ssrc) {
        return new SrtpException(SrtpException.Reason.TOO_MANY_STREAMS, "ssrc " + Integer.toUnsignedString(ssrc)
                + ": this context already tracks " + MAX_STREAMS + " ssrcs");
    }

    private static void checkIndex(SrtpStreamState stream, long index, String what) throws SrtpException {
        if (index < 0) {
            throw new SrtpException(SrtpException.Reason.TOO_OLD, what + " ssrc "
                    + Integer.toUnsignedString(stream.ssrc) + ": sequence number is from before the stream began");
        }
        if (index >>> 16 > SrtpStreamState.MAX_ROC) {
            throw new SrtpException(SrtpException.Reason.INDEX_EXHAUSTED, what + " ssrc "
                    + Integer.toUnsignedString(stream.ssrc) + ": 2^48 packets, rekey");
        }
    }

    private static int sequenceNumber(byte[] buf, int off) {
        return (buf[off + 2] & 0xff) << 8 | buf[off + 3] & 0xff;
    }

    /** RFC 3550 section 5.1 and 5.3.1: fixed header, CSRCs and the optional extension, all left in the clear. */
    private static int rtpHeaderLength(byte[] buf, int off, int len, int trailer) throws SrtpException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < RTP_HEADER_LENGTH + trailer) {
            throw new SrtpException(SrtpException.Reason.TRUNCATED,
                    "rtp packet of " + len + " octets is shorter than its header and tag");
        }
        int first = buf[off] & 0xff;
        if (first >>> 6 != RTP_VERSION) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "rtp version " + (first >>> 6) + ", expected 2");
        }
        int headerLength = RTP_HEADER_LENGTH + 4 * (first & 0x0f);
        if ((first & 0x10) != 0) {
            if (headerLength + 4 > len - trailer) {
                throw new SrtpException(SrtpException.Reason.MALFORMED,
                        "rtp header extension runs past the " + len + "-octet packet");
            }
            int words = (buf[off + headerLength + 2] & 0xff) << 8 | buf[off + headerLength + 3] & 0xff;
            headerLength += 4 + 4 * words;
        }
        if (headerLength > len - trailer) {
            throw new SrtpException(SrtpException.Reason.MALFORMED,
                    "rtp header of " + headerLength + " octets runs past the " + len + "-octet packet");
        }
        return headerLength;
    }

    private static void checkRtcpHeader(byte[] buf, int off, int len, int trailer) throws SrtpException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < RTCP_HEADER_LENGTH + trailer) {
            throw new SrtpException(SrtpException.Reason.TRUNCATED,
                    "rtcp packet of " + len + " octets is shorter than its header, index and tag");
        }
        if ((buf[off] & 0xff) >>> 6 != RTP_VERSION) {
            throw new SrtpException(SrtpException.Reason.MALFORMED,
                    "rtcp version " + ((buf[off] & 0xff) >>> 6) + ", expected 2");
        }
    }

    private static void requireRoom(byte[] buf, int off, int len, int overhead) throws SrtpException {
        if (buf.length - off - len < overhead) {
            throw new SrtpException(SrtpException.Reason.NO_ROOM,
                    "buffer has " + (buf.length - off - len) + " spare octets, protection needs " + overhead);
        }
    }
}
