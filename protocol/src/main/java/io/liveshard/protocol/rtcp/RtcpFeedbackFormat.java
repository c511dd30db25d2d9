package io.liveshard.protocol.rtcp;

/**
 * The feedback message type (FMT, in the header's count field) of the feedback packets LiveShard reads, with the
 * packet type it belongs to: the same FMT value means different messages under RTPFB and PSFB.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.1">RFC 4585, 6.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4">RFC 5104, 4</a>
 */
public enum RtcpFeedbackFormat {
    /** Generic NACK (RFC 4585 6.2.1). */
    GENERIC_NACK(RtcpPacketType.TRANSPORT_FEEDBACK, 1),
    /** Transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 3.1). */
    TRANSPORT_WIDE_CC(RtcpPacketType.TRANSPORT_FEEDBACK, 15),
    /** Picture loss indication (RFC 4585 6.3.1). */
    PICTURE_LOSS_INDICATION(RtcpPacketType.PAYLOAD_FEEDBACK, 1),
    /** Slice loss indication (RFC 4585 6.3.2). */
    SLICE_LOSS_INDICATION(RtcpPacketType.PAYLOAD_FEEDBACK, 2),
    /** Reference picture selection indication (RFC 4585 6.3.3). */
    REFERENCE_PICTURE_SELECTION(RtcpPacketType.PAYLOAD_FEEDBACK, 3),
    /** Full intra request (RFC 5104 4.3.1). */
    FULL_INTRA_REQUEST(RtcpPacketType.PAYLOAD_FEEDBACK, 4),
    /** Application layer feedback (RFC 4585 6.4), e.g. REMB. */
    APPLICATION_LAYER(RtcpPacketType.PAYLOAD_FEEDBACK, 15);

    private final RtcpPacketType packetType;
    private final int code;

    RtcpFeedbackFormat(RtcpPacketType packetType, int code) {
        this.packetType = packetType;
        this.code = code;
    }

    /** RTPFB or PSFB. */
    public RtcpPacketType packetType() {
        return packetType;
    }

    /** The FMT value, 0..31. */
    public int code() {
        return code;
    }

    /** The format of FMT {@code code} under {@code packetType}; unknown pairs are refused. */
    public static RtcpFeedbackFormat fromCode(RtcpPacketType packetType, int code) throws RtcpException {
        for (RtcpFeedbackFormat format : values()) {
            if (format.packetType == packetType && format.code == code) {
                return format;
            }
        }
        throw new RtcpException("unknown " + packetType + " feedback format " + code);
    }
}
