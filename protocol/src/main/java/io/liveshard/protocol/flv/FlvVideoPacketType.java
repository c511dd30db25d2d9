package io.liveshard.protocol.flv;

/**
 * The VideoPacketType of an Enhanced RTMP video tag: the low nibble of the first byte when IsExHeader is set.
 *
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, ExVideoTagHeader</a>
 */
public enum FlvVideoPacketType {
    /** The codec configuration record (avcC, hvcC, av1C, vpcC). */
    SEQUENCE_START(0),
    /** Coded frames; avc1 and hvc1 carry a 24-bit composition time offset first. */
    CODED_FRAMES(1),
    SEQUENCE_END(2),
    /** Coded frames without a composition time offset (it is zero). */
    CODED_FRAMES_X(3),
    /** AMF-encoded video metadata such as {@code colorInfo}. */
    METADATA(4),
    /** An MPEG-2 TS descriptor (AV1) to start the sequence. */
    MPEG2TS_SEQUENCE_START(5),
    /** Several tracks in one message (Enhanced RTMP v2). */
    MULTITRACK(6),
    /** A modifier extension that precedes the real packet type (Enhanced RTMP v2). */
    MOD_EX(7);

    private final int code;

    FlvVideoPacketType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FlvVideoPacketType fromCode(int code) throws FlvFormatException {
        for (FlvVideoPacketType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new FlvFormatException("reserved Enhanced RTMP video packet type " + code);
    }
}
