package io.liveshard.protocol.flv;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

/**
 * Reads the header of a VIDEODATA tag body, legacy (Adobe FLV spec v10.1, E.4.3.1 and E.4.3.2 AVCVIDEOPACKET) or
 * Enhanced (Enhanced RTMP v2, ExVideoTagHeader), into a {@link MediaFrame} that keeps the body.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1</a>
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2</a>
 */
final class FlvVideoTagParser {

    /** Bit 7 of the first byte: IsExHeader (Enhanced RTMP v2, ExVideoTagHeader). */
    private static final int EX_HEADER_BIT = 0x80;

    /** AVCPacketType values (Adobe FLV spec v10.1, E.4.3.2). */
    private static final int AVC_SEQUENCE_HEADER = 0;
    private static final int AVC_NALU = 1;
    private static final int AVC_END_OF_SEQUENCE = 2;

    private FlvVideoTagParser() {
    }

    static MediaFrame parse(byte[] body, long timestamp, long ingestNanos) throws FlvFormatException {
        FlvBodyCursor cursor = new FlvBodyCursor(body, "video tag");
        int first = cursor.u8("FrameType and CodecID");
        if ((first & EX_HEADER_BIT) != 0) {
            return parseEnhanced(body, cursor, first, timestamp, ingestNanos);
        }
        return parseLegacy(body, cursor, first, timestamp, ingestNanos);
    }

    private static MediaFrame parseLegacy(byte[] body, FlvBodyCursor cursor, int first, long timestamp,
                                          long ingestNanos) throws FlvFormatException {
        FlvVideoFrameType frameType = FlvVideoFrameType.fromCode(first >> 4);
        FlvVideoCodecId codecId = FlvVideoCodecId.fromCode(first & 0x0F);
        if (frameType == FlvVideoFrameType.COMMAND) {
            cursor.u8("video command");
            return commandFrame(codecId.codec(), body, timestamp, ingestNanos);
        }
        if (!codecId.hasAvcPacketHeader()) {
            return frame(codecId.codec(), false, frameType.isKey(), timestamp, 0, body, cursor.position(),
                    ingestNanos);
        }
        int packetType = cursor.u8("AVCPacketType");
        int compositionTime = cursor.s24("CompositionTime");
        return switch (packetType) {
            case AVC_SEQUENCE_HEADER -> frame(codecId.codec(), true, false, timestamp, 0, body, cursor.position(),
                    ingestNanos);
            case AVC_NALU -> frame(codecId.codec(), false, frameType.isKey(), timestamp, compositionTime, body,
                    cursor.position(), ingestNanos);
            case AVC_END_OF_SEQUENCE -> frame(codecId.codec(), false, false, timestamp, 0, body, cursor.position(),
                    ingestNanos);
            default -> throw new FlvFormatException("unknown AVCPacketType " + packetType + " in " + codecId
                    + " video tag (expected 0 sequence header, 1 NALU or 2 end of sequence)");
        };
    }

    private static MediaFrame parseEnhanced(byte[] body, FlvBodyCursor cursor, int first, long timestamp,
                                            long ingestNanos) throws FlvFormatException {
        FlvVideoFrameType frameType = FlvVideoFrameType.fromCode((first >> 4) & 0x07);
        int packetTypeCode = first & 0x0F;
        while (packetTypeCode == FlvVideoPacketType.MOD_EX.code()) {
            packetTypeCode = cursor.skipModEx();
        }
        FlvVideoPacketType packetType = FlvVideoPacketType.fromCode(packetTypeCode);
        if (packetType == FlvVideoPacketType.MULTITRACK) {
            throw new FlvFormatException("Enhanced RTMP multitrack video is not supported: publish a single track");
        }
        // Enhanced RTMP v2: a command frame carries the command byte where the FourCC would be, so its codec is
        // unknown here; it carries no picture either way.
        if (frameType == FlvVideoFrameType.COMMAND && packetType != FlvVideoPacketType.METADATA) {
            cursor.u8("video command");
            return commandFrame(MediaCodec.OTHER_VIDEO, body, timestamp, ingestNanos);
        }
        int fourCcCode = cursor.u32("video FourCC");
        FlvVideoFourCc fourCc = FlvVideoFourCc.find(fourCcCode).orElse(null);
        MediaCodec codec = fourCc == null ? MediaCodec.OTHER_VIDEO : fourCc.codec();
        int compositionTime = 0;
        if (packetType == FlvVideoPacketType.CODED_FRAMES && fourCc != null && fourCc.hasCompositionTime()) {
            compositionTime = cursor.s24("CompositionTime");
        }
        boolean config = packetType == FlvVideoPacketType.SEQUENCE_START;
        boolean coded = packetType == FlvVideoPacketType.CODED_FRAMES
                || packetType == FlvVideoPacketType.CODED_FRAMES_X;
        return frame(codec, config, coded && frameType.isKey(), timestamp, compositionTime, body, cursor.position(),
                ingestNanos);
    }

    /** A command frame has no codec payload: its payload is empty so no output mistakes the command for video. */
    private static MediaFrame commandFrame(MediaCodec codec, byte[] body, long timestamp, long ingestNanos) {
        return frame(codec, false, false, timestamp, 0, body, body.length, ingestNanos);
    }

    private static MediaFrame frame(MediaCodec codec, boolean config, boolean keyframe, long timestamp, int cts,
                                    byte[] body, int payloadOffset, long ingestNanos) {
        return new MediaFrame(MediaKind.VIDEO, codec, config, keyframe, timestamp, cts, body, payloadOffset,
                ingestNanos);
    }
}
