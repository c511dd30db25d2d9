package io.liveshard.protocol.flv;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

/**
 * Turns RTMP audio/video/data message payloads, which are FLV tag bodies, into {@link MediaFrame}s. The body array
 * becomes the frame's body as is (no copy), so FLV and RTMP egress forward exactly the bytes the publisher sent;
 * only the header is read, to find the codec, the frame kind, the composition time and where the payload starts.
 *
 * <p>Video: legacy AVC (CodecID 7) and de-facto legacy HEVC (CodecID 12) with AVCPacketType and a signed 24-bit
 * CompositionTime (payload at 5); Enhanced RTMP (IsExHeader) with avc1, hvc1, av01 and vp09 FourCCs (payload after
 * the header); other legacy codecs pass through as {@link MediaCodec#OTHER_VIDEO}. Configuration records and
 * end-of-sequence markers are never key frames. Command frames (FrameType 5) are non-key, non-config frames with an
 * empty payload. Audio: AAC (SoundFormat 10, payload at 2), Enhanced RTMP audio (Opus, mp4a, others pass through),
 * other legacy formats as {@link MediaCodec#OTHER_AUDIO} with the payload at 1.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1,
 *      E.4.2, E.4.3</a>
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2</a>
 */
public final class FlvMediaParser {

    private FlvMediaParser() {
    }

    /**
     * Reads a VIDEODATA body.
     *
     * @throws FlvFormatException when the body is empty, its header is truncated or uses reserved values, or it is
     *                            an Enhanced RTMP multitrack message
     */
    public static MediaFrame parseVideo(byte[] body, long timestamp, long ingestNanos) throws FlvFormatException {
        return FlvVideoTagParser.parse(body, timestamp, ingestNanos);
    }

    /**
     * Reads an AUDIODATA body.
     *
     * @throws FlvFormatException when the body is empty, its header is truncated or uses reserved values, or it is
     *                            an Enhanced RTMP multitrack message
     */
    public static MediaFrame parseAudio(byte[] body, long timestamp, long ingestNanos) throws FlvFormatException {
        return FlvAudioTagParser.parse(body, timestamp, ingestNanos);
    }

    /** Wraps a SCRIPTDATA body (AMF0, e.g. {@code onMetaData}); the whole body is the payload. */
    public static MediaFrame scriptData(byte[] body, long timestamp, long ingestNanos) {
        return new MediaFrame(MediaKind.DATA, MediaCodec.SCRIPT, false, false, timestamp, 0, body, 0, ingestNanos);
    }
}
