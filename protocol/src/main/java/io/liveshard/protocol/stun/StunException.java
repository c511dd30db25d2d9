package io.liveshard.protocol.stun;

/**
 * A datagram that is not an acceptable STUN message: truncated, oversize, with a wrong magic cookie, inconsistent
 * lengths, an attribute that overruns the message or carries a malformed value. The message says which.
 */
public final class StunException extends Exception {

    public StunException(String message) {
        super(message);
    }
}
