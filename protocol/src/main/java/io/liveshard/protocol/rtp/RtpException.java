package io.liveshard.protocol.rtp;

/**
 * An RTP packet that does not follow <a href="https://www.rfc-editor.org/rfc/rfc3550">RFC 3550</a> (or its header
 * extensions, <a href="https://www.rfc-editor.org/rfc/rfc8285">RFC 8285</a>), or media a packetizer cannot carry.
 * The message names the field and what was wrong.
 */
public class RtpException extends Exception {

    public RtpException(String message) {
        super(message);
    }
}
