package io.liveshard.protocol.flv;

import io.liveshard.protocol.media.MediaCodec;

import java.util.Optional;

/**
 * The video FourCC of an Enhanced RTMP video tag.
 *
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, ExVideoTagHeader</a>
 */
public enum FlvVideoFourCc {
    AVC1("avc1", MediaCodec.H264),
    HVC1("hvc1", MediaCodec.H265),
    AV01("av01", MediaCodec.AV1),
    VP09("vp09", MediaCodec.VP9),
    VP08("vp08", MediaCodec.OTHER_VIDEO);

    private final int code;
    private final String text;
    private final MediaCodec codec;

    FlvVideoFourCc(String text, MediaCodec codec) {
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

    /** True when CodedFrames packets of this codec carry a composition time offset. */
    public boolean hasCompositionTime() {
        return this == AVC1 || this == HVC1;
    }

    public static FlvVideoFourCc fromCode(int code) throws FlvFormatException {
        return find(code).orElseThrow(
                () -> new FlvFormatException("unknown Enhanced RTMP video FourCC " + FlvFourCc.describe(code)));
    }

    /** The FourCC with this value, or empty: unknown codecs are forwarded, not refused. */
    public static Optional<FlvVideoFourCc> find(int code) {
        for (FlvVideoFourCc fourCc : values()) {
            if (fourCc.code == code) {
                return Optional.of(fourCc);
            }
        }
        return Optional.empty();
    }
}
