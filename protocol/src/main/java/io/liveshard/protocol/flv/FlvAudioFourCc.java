package io.liveshard.protocol.flv;

import io.liveshard.protocol.media.MediaCodec;

import java.util.Optional;

/**
 * The audio FourCC of an Enhanced RTMP audio tag.
 *
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, ExAudioTagHeader</a>
 */
public enum FlvAudioFourCc {
    OPUS("Opus", MediaCodec.OPUS),
    MP4A("mp4a", MediaCodec.AAC),
    MP3(".mp3", MediaCodec.OTHER_AUDIO),
    FLAC("fLaC", MediaCodec.OTHER_AUDIO),
    AC3("ac-3", MediaCodec.OTHER_AUDIO),
    EAC3("ec-3", MediaCodec.OTHER_AUDIO);

    private final int code;
    private final String text;
    private final MediaCodec codec;

    FlvAudioFourCc(String text, MediaCodec codec) {
        this.code = FlvFourCc.pack(text);
        this.text = text;
        this.codec = codec;
    }

    /** The FourCC as the big-endian 32-bit value on the wire. */
    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    public MediaCodec codec() {
        return codec;
    }

    public static FlvAudioFourCc fromCode(int code) throws FlvFormatException {
        return find(code).orElseThrow(
                () -> new FlvFormatException("unknown Enhanced RTMP audio FourCC " + FlvFourCc.describe(code)));
    }

    /** The FourCC with this value, or empty: unknown codecs are forwarded, not refused. */
    public static Optional<FlvAudioFourCc> find(int code) {
        for (FlvAudioFourCc fourCc : values()) {
            if (fourCc.code == code) {
                return Optional.of(fourCc);
            }
        }
        return Optional.empty();
    }
}
