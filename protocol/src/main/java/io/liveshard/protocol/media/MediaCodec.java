package io.liveshard.protocol.media;

/**
 * Codecs a stream can carry. Egress adapters skip codecs they cannot carry, with one log line.
 * {@link #OTHER_AUDIO} and {@link #OTHER_VIDEO} are legacy FLV codecs (MP3, Speex, VP6, ...) that FLV and RTMP
 * forward untouched but no other output understands.
 */
public enum MediaCodec {
    H264(MediaKind.VIDEO),
    H265(MediaKind.VIDEO),
    AV1(MediaKind.VIDEO),
    VP9(MediaKind.VIDEO),
    OTHER_VIDEO(MediaKind.VIDEO),
    AAC(MediaKind.AUDIO),
    OPUS(MediaKind.AUDIO),
    OTHER_AUDIO(MediaKind.AUDIO),
    /** AMF0 script data ({@code onMetaData}). */
    SCRIPT(MediaKind.DATA);

    private final MediaKind kind;

    MediaCodec(MediaKind kind) {
        this.kind = kind;
    }

    public MediaKind kind() {
        return kind;
    }
}
