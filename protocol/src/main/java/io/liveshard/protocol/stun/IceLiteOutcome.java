package io.liveshard.protocol.stun;

import java.util.OptionalLong;

/** What {@link IceLiteResponder} made of one datagram: a response to send, or a reason to drop it silently. */
public sealed interface IceLiteOutcome {

    /**
     * An authenticated Binding request: send {@code response} back to the sender.
     *
     * @param response     encoded success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT
     * @param remoteUfrag  the peer's ufrag from USERNAME
     * @param useCandidate the peer nominated this pair (RFC 8445 section 7.3.1.5): media may flow once DTLS is up
     * @param priority     PRIORITY of the request, if present
     */
    record Success(byte[] response, String remoteUfrag, boolean useCandidate, OptionalLong priority)
            implements IceLiteOutcome {
    }

    /**
     * A Binding request refused with an error response, which is still sent (RFC 8489 section 6.3.1).
     *
     * @param response encoded error response
     * @param error    the ERROR-CODE it carries
     */
    record ErrorResponse(byte[] response, StunErrorCode error) implements IceLiteOutcome {
    }

    /**
     * A datagram that gets no answer (RFC 8489 section 6.3: malformed, not a request, or failing FINGERPRINT).
     *
     * @param reason one line for counters and debug logs
     */
    record Discard(String reason) implements IceLiteOutcome {
    }
}
