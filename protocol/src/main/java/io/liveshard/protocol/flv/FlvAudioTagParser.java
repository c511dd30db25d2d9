package io.liveshard.protocol.flv;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

/**
 * Reads the header of an AUDIODATA tag body, legacy (Adobe FLV spec v10.1, E.4.2.1 and E.4.2.2 AACAUDIODATA) or
 * Enhanced (Enhanced RTMP v2, ExAudioTagHeader), into a {@link MediaFrame} that keeps the body.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1</a>
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2</a>
 */
final class FlvAudioTagParser {

    /** AACPacketType values (Adobe FLV spec v10.1, E.4.2.2). */
    private static final int AAC_SEQUENCE_HEADER = 0;
    private static final int AAC_RAW = 1;

    private FlvAudioTagParser() {
    }

    static MediaFrame parse(byte[] body, long timestamp, long ingestNanos) throws FlvFormatException {
        FlvBodyCursor cursor = new FlvBodyCursor(body, "audio tag");
        int first = cursor.u8("SoundFormat");
        FlvSoundFormat format = FlvSoundFormat.fromCode(first >> 4);
        return switch (format) {
            case EX_HEADER -> parseEnhanced(body, cursor, first, timestamp, ingestNanos);
            case AAC -> parseAac(body, cursor, timestamp, ingestNanos);
            default -> frame(MediaCodec.OTHER_AUDIO, false, timestamp, body, cursor.position(), ingestNanos);
        };
    }

    private static MediaFrame parseAac(byte[] body, FlvBodyCursor cursor, long timestamp, long ingestNanos)
            throws FlvFormatException {
        int packetType = cursor.u8("AACPacketType");
        return switch (packetType) {
            case AAC_SEQUENCE_HEADER -> frame(MediaCodec.AAC, true, timestamp, body, cursor.position(), ingestNanos);
            case AAC_RAW -> frame(MediaCodec.AAC, false, timestamp, body, cursor.position(), ingestNanos);
            default -> throw new FlvFormatException("unknown AACPacketType " + packetType
                    + " (expected 0 sequence header or 1 raw)");
        };
    }

    private static MediaFrame parseEnhanced(byte[] body, FlvBodyCursor cursor, int first, long timestamp,
                                            long ingestNanos) throws FlvFormatException {
        int packetTypeCode = first & 0x0F;
        while (packetTypeCode == FlvAudioPacketType.MOD_EX.code()) {
            packetTypeCode = cursor.skipModEx();
        }
        FlvAudioPacketType packetType = FlvAudioPacketType.fromCode(packetTypeCode);
        if (packetType == FlvAudioPacketType.MULTITRACK) {
            throw new FlvFormatException("Enhanced RTMP multitrack audio is not supported: publish a single track");
        }
        MediaCodec codec = FlvAudioFourCc.find(cursor.u32("audio FourCC"))
                .map(FlvAudioFourCc::codec)
                .orElse(MediaCodec.OTHER_AUDIO);
        return frame(codec, packetType == FlvAudioPacketType.SEQUENCE_START, timestamp, body, cursor.position(),
                ingestNanos);
    }

    private static MediaFrame frame(MediaCodec codec, boolean config, long timestamp, byte[] body, int payloadOffset,
                                    long ingestNanos) {
        return new MediaFrame(MediaKind.AUDIO, codec, config, false, timestamp, 0, body, payloadOffset, ingestNanos);
    }
}
