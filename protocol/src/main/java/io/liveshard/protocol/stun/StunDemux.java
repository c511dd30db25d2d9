package io.liveshard.protocol.stun;

/**
 * The first stage on the shared UDP port: is this datagram STUN? Follows RFC 7983's first-byte rule
 * ({@link RtcPacketKind}); {@link StunMessage#decode} then checks the header, cookie and lengths.
 */
public final class StunDemux {

    private StunDemux() {
    }

    public static boolean isStun(byte[] packet, int offset, int length) {
        return RtcPacketKind.classify(packet, offset, length) == RtcPacketKind.STUN;
    }
}
