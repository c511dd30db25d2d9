package io.liveshard.protocol.flv;

import io.liveshard.protocol.media.MediaCodec;

/**
 * The CodecID of a legacy (non-Enhanced) video tag: the low nibble of VIDEODATA's first byte (Adobe FLV spec v10.1,
 * E.4.3.1). {@link #HEVC} (12) is not in the Adobe spec: it is the de-facto id Chinese CDNs and OBS forks send for
 * H.265 before Enhanced RTMP, with the same AVCPacketType/CompositionTime layout as {@link #AVC}.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1</a>
 */
public enum FlvVideoCodecId {
    JPEG(1, MediaCodec.OTHER_VIDEO),
    SORENSON_H263(2, MediaCodec.OTHER_VIDEO),
    SCREEN_VIDEO(3, MediaCodec.OTHER_VIDEO),
    ON2_VP6(4, MediaCodec.OTHER_VIDEO),
    ON2_VP6_ALPHA(5, MediaCodec.OTHER_VIDEO),
    SCREEN_VIDEO_V2(6, MediaCodec.OTHER_VIDEO),
    AVC(7, MediaCodec.H264),
    HEVC(12, MediaCodec.H265);

    private final int code;
    private final MediaCodec codec;

    FlvVideoCodecId(int code, MediaCodec codec) {
        this.code = code;
        this.codec = codec;
    }

    public int code() {
        return code;
    }

    /** The codec frames with this id are tagged with. */
    public MediaCodec codec() {
        return codec;
    }

    /** True for the ids whose tags carry AVCPacketType and CompositionTime before the payload. */
    public boolean hasAvcPacketHeader() {
        return this == AVC || this == HEVC;
    }

    public static FlvVideoCodecId fromCode(int code) throws FlvFormatException {
        for (FlvVideoCodecId id : values()) {
            if (id.code == code) {
                return id;
            }
        }
        throw new FlvFormatException("unknown legacy video codec id " + code);
    }
}
