package io.liveshard.protocol.flv;

import java.util.Optional;

/**
 * The TagType of an FLV tag (Adobe FLV spec v10.1, E.4.1 "FLV Tags"). RTMP uses the same numbers as message type
 * ids for audio, video and AMF0 data messages.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1</a>
 */
public enum FlvTagType {
    AUDIO(8),
    VIDEO(9),
    /** AMF0 script data such as {@code onMetaData}. */
    SCRIPT(18);

    private final int code;

    FlvTagType(int code) {
        this.code = code;
    }

    /** The TagType value on the wire. */
    public int code() {
        return code;
    }

    /** The tag type with this wire value; anything else is not a tag FLV defines. */
    public static FlvTagType fromCode(int code) throws FlvFormatException {
        return find(code).orElseThrow(() -> new FlvFormatException(
                "unknown FLV tag type " + code + " (expected 8 audio, 9 video or 18 script)"));
    }

    /** The tag type with this wire value, or empty; for state machines that report rather than throw. */
    public static Optional<FlvTagType> find(int code) {
        for (FlvTagType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
