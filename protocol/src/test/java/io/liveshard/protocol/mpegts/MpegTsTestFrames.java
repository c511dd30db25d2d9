package io.liveshard.protocol.mpegts;

import io.liveshard.protocol.codec.AacAudioSpecificConfig;
import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Synthetic frames shaped like the ones {@code FlvMediaParser} makes: an FLV tag header, then the codec payload. */
final class MpegTsTestFrames {

    /** A tiny but syntactically plausible H.264 SPS and PPS (only the NAL header types matter to the muxer). */
    static final byte[] SPS = {0x67, 0x64, 0x00, 0x0C, (byte) 0xAC, 0x3B, 0x50};
    static final byte[] PPS = {0x68, (byte) 0xEE, 0x3C, (byte) 0x80};
    static final byte[] IDR = {0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x33};
    static final byte[] NON_IDR = {0x41, (byte) 0x9A, 0x02, 0x07};
    static final byte[] SEI = {0x06, 0x05, 0x01, 0x00, (byte) 0x80};
    static final byte[] AUD = {0x09, (byte) 0xF0};

    /** The legacy FLV video tag header: FrameType/CodecID, AVCPacketType, CompositionTime. */
    private static final int VIDEO_HEADER = 5;
    /** The FLV AAC audio tag header: SoundFormat byte, AACPacketType. */
    private static final int AUDIO_HEADER = 2;

    private MpegTsTestFrames() {
    }

    static MediaFrame h264Config() {
        byte[] record = new AvcDecoderConfigurationRecord(1, 100, 0, 12, 4, List.of(SPS), List.of(PPS)).encode();
        return video(MediaCodec.H264, true, true, 0, 0, record);
    }

    static MediaFrame h265Config() {
        byte[] record = resource("/codec/x265-main-640x360.hvcC");
        return video(MediaCodec.H265, true, true, 0, 0, record);
    }

    /** An H.264 or H.265 frame of length-prefixed (4-byte) NAL units. */
    static MediaFrame videoFrame(MediaCodec codec, boolean keyframe, long dts, int cts, byte[]... nalUnits) {
        return video(codec, false, keyframe, dts, cts, avcc(nalUnits));
    }

    static MediaFrame video(MediaCodec codec, boolean config, boolean keyframe, long dts, int cts, byte[] payload) {
        return new MediaFrame(MediaKind.VIDEO, codec, config, keyframe, dts, cts, withHeader(VIDEO_HEADER, payload),
                VIDEO_HEADER, 0);
    }

    static MediaFrame aacConfig(AacAudioSpecificConfig config) {
        return aacConfig(config.encode());
    }

    static MediaFrame aacConfig(byte[] audioSpecificConfig) {
        return new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, true, false, 0, 0,
                withHeader(AUDIO_HEADER, audioSpecificConfig), AUDIO_HEADER, 0);
    }

    static MediaFrame aacFrame(long dts, byte[] raw) {
        return new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, false, false, dts, 0, withHeader(AUDIO_HEADER, raw),
                AUDIO_HEADER, 0);
    }

    static byte[] avcc(byte[]... nalUnits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nalUnits) {
            out.write(nal.length >>> 24);
            out.write(nal.length >>> 16);
            out.write(nal.length >>> 8);
            out.write(nal.length);
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    /** Annex B with 4-byte start codes, as the muxer writes it. */
    static byte[] annexB(byte[]... nalUnits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nalUnits) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    static byte[] resource(String name) {
        try (InputStream in = MpegTsTestFrames.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] withHeader(int headerSize, byte[] payload) {
        byte[] body = new byte[headerSize + payload.length];
        System.arraycopy(payload, 0, body, headerSize, payload.length);
        return body;
    }
}
