package io.liveshard.protocol.sdp;

/**
 * An SDP offer the server cannot parse or answer. The message is written for the peer: a WHEP endpoint can return
 * it as the body of a 400 response.
 */
public final class SdpException extends Exception {

    public SdpException(String message) {
        super(message);
    }
}
