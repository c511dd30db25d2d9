package io.liveshard.protocol.flv;

/**
 * The AudioPacketType of an Enhanced RTMP audio tag: the low nibble of the first byte when SoundFormat is 9.
 *
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, ExAudioTagHeader</a>
 */
public enum FlvAudioPacketType {
    /** The codec configuration (AudioSpecificConfig for mp4a, OpusHead for Opus, ...). */
    SEQUENCE_START(0),
    CODED_FRAMES(1),
    SEQUENCE_END(2),
    /** Channel count and order for multichannel audio. */
    MULTICHANNEL_CONFIG(4),
    /** Several tracks in one message. */
    MULTITRACK(5),
    /** A modifier extension that precedes the real packet type. */
    MOD_EX(7);

    private final int code;

    FlvAudioPacketType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FlvAudioPacketType fromCode(int code) throws FlvFormatException {
        for (FlvAudioPacketType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new FlvFormatException("reserved Enhanced RTMP audio packet type " + code);
    }
}
