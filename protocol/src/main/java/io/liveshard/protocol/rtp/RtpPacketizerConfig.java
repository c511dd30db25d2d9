package io.liveshard.protocol.rtp;

/**
 * Limits of the RTP packetizers.
 *
 * @param maxPacketSize the largest RTP packet, 12-byte header included, SRTP authentication tag excluded
 */
public record RtpPacketizerConfig(int maxPacketSize) {

    /**
     * 1200 bytes, what browsers' WebRTC stacks use: it leaves room for SRTP, TURN and VPN headers on paths whose
     * MTU is below Ethernet's 1500 (RFC 8831 6.6 picks the same figure for SCTP over DTLS).
     */
    public static final int DEFAULT_MAX_PACKET_SIZE = 1200;

    /**
     * The packet, its SRTP tag (at most 16 bytes, AES-GCM, RFC 7714 5) and IPv6 plus UDP headers (48 bytes) fit a
     * 1500-byte Ethernet MTU: anything larger would be fragmented by IP, which WebRTC paths do not survive.
     */
    public static final int LARGEST_MAX_PACKET_SIZE = 1500 - 48 - 16;

    /** Room for the header, an FU-A indicator and header (RFC 6184 5.8) and a few bytes of NAL unit. */
    public static final int SMALLEST_MAX_PACKET_SIZE = 64;

    public static final RtpPacketizerConfig DEFAULT = new RtpPacketizerConfig(DEFAULT_MAX_PACKET_SIZE);

    public RtpPacketizerConfig {
        if (maxPacketSize < SMALLEST_MAX_PACKET_SIZE || maxPacketSize > LARGEST_MAX_PACKET_SIZE) {
            throw new IllegalArgumentException("RTP max packet size " + maxPacketSize + " outside "
                    + SMALLEST_MAX_PACKET_SIZE + ".." + LARGEST_MAX_PACKET_SIZE);
        }
    }

    /** The largest payload: the packet without the 12-byte header LiveShard writes. */
    public int maxPayloadSize() {
        return maxPacketSize - RtpHeader.FIXED_SIZE;
    }
}
