package io.liveshard.protocol.rtcp;

/**
 * An RTCP packet that does not follow <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6">RFC 3550</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc4585">RFC 4585</a> or the formats it carries. The message names the
 * packet, the field and what was wrong.
 */
public class RtcpException extends Exception {

    public RtcpException(String message) {
        super(message);
    }
}
