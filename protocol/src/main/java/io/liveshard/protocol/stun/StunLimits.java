package io.liveshard.protocol.stun;

/**
 * What a received STUN datagram may cost the server.
 *
 * @param maxMessageSize largest datagram accepted as STUN, header included, at most {@link #MAX_MESSAGE_SIZE}
 * @param maxAttributes  most attributes (known or skipped) one message may carry
 */
public record StunLimits(int maxMessageSize, int maxAttributes) {

    /**
     * Largest message that fits one Ethernet frame. RFC 8489 section 6.1 asks senders over UDP to stay below the
     * path MTU, and ICE connectivity checks (RFC 8445 section 7.1) carry a handful of short attributes, so anything
     * larger is not a check from a WebRTC peer.
     */
    public static final int MAX_MESSAGE_SIZE = 1500;

    /**
     * Most attributes worth walking. A browser's Binding request has about eight (USERNAME, PRIORITY, ICE-CONTROLLING,
     * USE-CANDIDATE, a network-info attribute, MESSAGE-INTEGRITY, FINGERPRINT); RFC 8489 section 14 sets no bound.
     */
    public static final int MAX_ATTRIBUTES = 64;

    public StunLimits {
        if (maxMessageSize < StunMessage.HEADER_LENGTH || maxMessageSize > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("max message size " + maxMessageSize + " out of range "
                    + StunMessage.HEADER_LENGTH + ".." + MAX_MESSAGE_SIZE);
        }
        if (maxAttributes < 1 || maxAttributes > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("max attributes " + maxAttributes + " out of range 1.." + MAX_ATTRIBUTES);
        }
    }

    /** 1500-byte messages with up to 32 attributes. */
    public static StunLimits defaults() {
        return new StunLimits(MAX_MESSAGE_SIZE, 32);
    }
}
