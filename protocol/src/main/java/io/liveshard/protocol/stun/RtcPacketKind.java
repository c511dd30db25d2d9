package io.liveshard.protocol.stun;

/**
 * What a datagram on the shared WebRTC port is, by its first byte (RFC 7983 section 7,
 * https://www.rfc-editor.org/rfc/rfc7983#section-7): 0..3 STUN, 20..63 DTLS, 128..191 RTP or RTCP. ZRTP (16..19)
 * and TURN channel data (64..79) are never sent to an ICE-lite server without TURN, so they count as unknown.
 */
public enum RtcPacketKind {
    STUN,
    DTLS,
    /** RTP and RTCP share this range; RFC 5761 section 4 tells them apart by the payload type byte. */
    RTP_OR_RTCP,
    UNKNOWN;

    /** The kind of {@code packet[offset, offset + length)}; an empty datagram is {@link #UNKNOWN}. */
    public static RtcPacketKind classify(byte[] packet, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, packet.length);
        if (length == 0) {
            return UNKNOWN;
        }
        int first = packet[offset] & 0xFF;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            return RTP_OR_RTCP;
        }
        return UNKNOWN;
    }
}
