package io.liveshard.protocol.srtp;

/**
 * A packet SRTP refused to protect or unprotect. The {@link Reason} lets the caller count refusals by kind;
 * the message says what was wrong with which packet.
 *
 * <p>Refusals are expected input on a UDP port open to the internet (replays, stray packets, truncations), so this
 * exception carries no stack trace: building one per rejected packet would cost more than the packet.
 */
public final class SrtpException extends Exception {

    /** Why a packet was refused. */
    public enum Reason {
        /** Shorter than its header, or than header plus trailer and tag. */
        TRUNCATED,
        /** Not an RTP/RTCP packet of version 2, or its header claims more bytes than it has. */
        MALFORMED,
        /** The authentication tag does not match: tampered, or protected with other keys. */
        AUTH_FAILED,
        /** Already received once (RFC 3711 section 3.3.2). */
        REPLAYED,
        /** Older than the replay window reaches back, so it cannot be told apart from a replay. */
        TOO_OLD,
        /** The caller's buffer has no room for the tag and trailer. */
        NO_ROOM,
        /** The sender already protected a packet with this index: protecting it again would reuse a keystream. */
        INDEX_REUSED,
        /** The context already tracks as many SSRCs as it allows. */
        TOO_MANY_STREAMS,
        /** The SRTP or SRTCP index would repeat: the keys must be renegotiated (RFC 3711 section 9.2). */
        INDEX_EXHAUSTED
    }

    private final Reason reason;

    public SrtpException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
