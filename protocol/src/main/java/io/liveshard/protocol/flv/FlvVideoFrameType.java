package io.liveshard.protocol.flv;

/**
 * The FrameType of a video tag: the high nibble of VIDEODATA's first byte (Adobe FLV spec v10.1, E.4.3.1), or bits
 * 4-6 of it when the Enhanced RTMP IsExHeader bit is set. Values 0, 6 and 7 are reserved.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1</a>
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, ExVideoTagHeader</a>
 */
public enum FlvVideoFrameType {
    KEY(1),
    INTER(2),
    /** An inter frame no other frame refers to (H.263 only). */
    DISPOSABLE_INTER(3),
    /** A key frame a server generated for seeking; decodable on its own like {@link #KEY}. */
    GENERATED_KEY(4),
    /** Video info / command frame: carries a one-byte command (seek start/end) instead of video. */
    COMMAND(5);

    private final int code;

    FlvVideoFrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True when a decoder can start from a frame of this type. */
    public boolean isKey() {
        return this == KEY || this == GENERATED_KEY;
    }

    public static FlvVideoFrameType fromCode(int code) throws FlvFormatException {
        for (FlvVideoFrameType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new FlvFormatException("reserved video frame type " + code);
    }
}
