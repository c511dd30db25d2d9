package io.liveshard.protocol.rtcp;

/**
 * The packet type (PT) of an RTCP packet.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-12.1">RFC 3550, 12.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.1">RFC 4585, 6.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3611#section-2">RFC 3611 (XR)</a>
 */
public enum RtcpPacketType {
    SENDER_REPORT(200),
    RECEIVER_REPORT(201),
    SOURCE_DESCRIPTION(202),
    BYE(203),
    APPLICATION(204),
    /** Transport layer feedback: generic NACK, transport-wide congestion control. */
    TRANSPORT_FEEDBACK(205),
    /** Payload-specific feedback: PLI, FIR, REMB. */
    PAYLOAD_FEEDBACK(206),
    EXTENDED_REPORT(207);

    private final int code;

    RtcpPacketType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True when {@code code} is one of these types. */
    public static boolean isKnown(int code) {
        return code >= SENDER_REPORT.code && code <= EXTENDED_REPORT.code;
    }

    public static RtcpPacketType fromCode(int code) throws RtcpException {
        if (!isKnown(code)) {
            throw new RtcpException("unknown RTCP packet type " + code);
        }
        return values()[code - SENDER_REPORT.code];
    }
}
