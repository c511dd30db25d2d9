package io.liveshard.protocol.fmp4;

import io.liveshard.protocol.codec.AacAudioSpecificConfig;
import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.H264Sps;
import io.liveshard.protocol.codec.H264SpsParser;
import io.liveshard.protocol.codec.HevcDecoderConfigurationRecord;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

import java.util.Arrays;
import java.util.Objects;

/**
 * One track of a fragmented MP4 (CMAF) stream: what the init segment declares about it and the timescale its
 * fragments count in. Build one with {@link #video(int, MediaFrame)} or {@link #audio(int, MediaFrame)} from the
 * stream's codec configuration frame.
 *
 * @param trackId    track_ID (ISO/IEC 14496-12, 8.3.2.3), 1 or more; unique within the presentation
 * @param codec      H.264, H.265, AAC or Opus
 * @param timescale  units per second of every time in this track (mdhd timescale, 8.4.2.3): 90000 for video, the
 *                   sample rate for AAC, 48000 for Opus
 * @param config     the decoder configuration box content: the AVCDecoderConfigurationRecord (avcC), the
 *                   HEVCDecoderConfigurationRecord (hvcC), the AudioSpecificConfig (inside esds) or the dOps body
 * @param width      video width in pixels, 0 for audio
 * @param height     video height in pixels, 0 for audio
 * @param sampleRate audio sample rate in Hz, 0 for video
 * @param channels   audio channel count, 0 for video
 */
public record Fmp4Track(
        int trackId,
        MediaCodec codec,
        int timescale,
        byte[] config,
        int width,
        int height,
        int sampleRate,
        int channels) {

    /** The customary video timescale: a multiple of every common frame rate and of the 1 kHz RTMP clock. */
    public static final int VIDEO_TIMESCALE = 90_000;

    /** Opus always decodes at 48 kHz, whatever the input rate (Opus in ISOBMFF, 4.3). */
    public static final int OPUS_TIMESCALE = 48_000;

    private static final int MILLIS_PER_SECOND = 1000;

    /**
     * Channel counts for AAC channelConfiguration 0..15 (ISO/IEC 14496-3, Table 1.19); 0 (program config element)
     * and the reserved 8..10 and 15 are announced as stereo: the decoder takes the real layout from the stream.
     */
    private static final int[] AAC_CHANNELS = {2, 1, 2, 3, 4, 5, 6, 8, 2, 2, 2, 7, 8, 24, 8, 2};

    public Fmp4Track {
        Objects.requireNonNull(codec, "codec");
        if (trackId < 1) {
            throw new IllegalArgumentException("track_ID must be 1 or more, not " + trackId);
        }
        if (timescale < 1) {
            throw new IllegalArgumentException("timescale must be 1 or more, not " + timescale);
        }
        config = config.clone();
    }

    /**
     * A video track from an H.264 or H.265 configuration frame: {@code avc1} with the AVCDecoderConfigurationRecord
     * as avcC, or {@code hvc1} with the HEVCDecoderConfigurationRecord as hvcC, the picture size read from the first
     * SPS, timescale {@value #VIDEO_TIMESCALE}.
     *
     * @throws Fmp4Exception when the frame is not a video configuration, carries another codec, or its record or
     *                       SPS does not parse
     */
    public static Fmp4Track video(int trackId, MediaFrame configFrame) throws Fmp4Exception {
        checkTrackId(trackId);
        byte[] record = configPayload(trackId, configFrame, MediaKind.VIDEO);
        try {
            return switch (configFrame.codec()) {
                case H264 -> {
                    AvcDecoderConfigurationRecord avc = AvcDecoderConfigurationRecord.parse(record, 0, record.length);
                    byte[] sps = avc.firstSps();
                    H264Sps parsed = H264SpsParser.parse(sps, 0, sps.length);
                    yield new Fmp4Track(trackId, MediaCodec.H264, VIDEO_TIMESCALE, record, parsed.width(),
                            parsed.height(), 0, 0);
                }
                case H265 -> {
                    HevcDecoderConfigurationRecord hevc = HevcDecoderConfigurationRecord.parse(record, 0,
                            record.length);
                    if (hevc.sps().isEmpty()) {
                        throw new Fmp4Exception("track " + trackId + ": HEVCDecoderConfigurationRecord has no SPS");
                    }
                    byte[] sps = hevc.sps().get(0);
                    int[] size = Fmp4HevcPictureSize.parse(sps);
                    yield new Fmp4Track(trackId, MediaCodec.H265, VIDEO_TIMESCALE, record, size[0], size[1], 0, 0);
                }
                default -> throw unsupported(trackId, configFrame);
            };
        } catch (CodecFormatException e) {
            throw new Fmp4Exception("track " + trackId + ": " + configFrame.codec() + " configuration: "
                    + e.getMessage(), e);
        }
    }

    /**
     * An audio track from an AAC or Opus configuration frame: {@code mp4a} with the AudioSpecificConfig in esds and
     * the sample rate as timescale, or {@code Opus} with a dOps made from the OpusHead (an empty Opus configuration
     * means stereo without pre-skip) and timescale {@value #OPUS_TIMESCALE}.
     *
     * @throws Fmp4Exception when the frame is not an audio configuration, carries another codec, or its
     *                       configuration does not parse
     */
    public static Fmp4Track audio(int trackId, MediaFrame configFrame) throws Fmp4Exception {
        checkTrackId(trackId);
        if (configFrame != null && configFrame.codec() == MediaCodec.OPUS && configFrame.config()
                && configFrame.payloadLength() == 0) {
            return opus(trackId, Fmp4OpusConfig.DEFAULT);
        }
        byte[] payload = configPayload(trackId, configFrame, MediaKind.AUDIO);
        try {
            return switch (configFrame.codec()) {
                case AAC -> {
                    AacAudioSpecificConfig asc = AacAudioSpecificConfig.parse(payload, 0, payload.length);
                    yield new Fmp4Track(trackId, MediaCodec.AAC, asc.sampleRate(), payload, 0, 0, asc.sampleRate(),
                            AAC_CHANNELS[asc.channelConfiguration()]);
                }
                case OPUS -> opus(trackId, Fmp4OpusConfig.fromOpusHead(payload));
                default -> throw unsupported(trackId, configFrame);
            };
        } catch (CodecFormatException e) {
            throw new Fmp4Exception("track " + trackId + ": " + configFrame.codec() + " configuration: "
                    + e.getMessage(), e);
        }
    }

    /** Milliseconds (the RTMP/FLV clock) in units of {@code timescale}, rounded down. */
    public static long toTimescale(long millis, int timescale) {
        return Math.floorDiv(Math.multiplyExact(millis, (long) timescale), MILLIS_PER_SECOND);
    }

    /** Milliseconds in this track's timescale, rounded down. */
    public long toTimescale(long millis) {
        return toTimescale(millis, timescale);
    }

    public boolean isVideo() {
        return codec.kind() == MediaKind.VIDEO;
    }

    /** The configuration box content; a copy, since tracks are shared between segment builders. */
    @Override
    public byte[] config() {
        return config.clone();
    }

    /** For the box writers in this package, which only read it. */
    byte[] configBytes() {
        return config;
    }

    private static Fmp4Track opus(int trackId, Fmp4OpusConfig opus) {
        return new Fmp4Track(trackId, MediaCodec.OPUS, OPUS_TIMESCALE, opus.toDops(), 0, 0, OPUS_TIMESCALE,
                opus.channels());
    }

    private static byte[] configPayload(int trackId, MediaFrame frame, MediaKind kind) throws Fmp4Exception {
        if (frame == null) {
            throw new Fmp4Exception("track " + trackId + ": no " + kind + " configuration frame");
        }
        if (frame.kind() != kind || !frame.config()) {
            throw new Fmp4Exception("track " + trackId + ": " + frame + " is not a " + kind + " configuration");
        }
        if (frame.payloadLength() == 0) {
            throw new Fmp4Exception("track " + trackId + ": the " + frame.codec() + " configuration is empty");
        }
        return Arrays.copyOfRange(frame.body(), frame.payloadOffset(), frame.body().length);
    }

    private static void checkTrackId(int trackId) throws Fmp4Exception {
        if (trackId < 1) {
            throw new Fmp4Exception("track_ID must be 1 or more, not " + trackId);
        }
    }

    private static Fmp4Exception unsupported(int trackId, MediaFrame frame) {
        return new Fmp4Exception("track " + trackId + ": fMP4 output does not carry " + frame.codec());
    }

    /** Compares the configuration by content: tracks are values, and arrays compare by identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Fmp4Track that
                && trackId == that.trackId && codec == that.codec && timescale == that.timescale
                && Arrays.equals(config, that.config) && width == that.width && height == that.height
                && sampleRate == that.sampleRate && channels == that.channels;
    }

    @Override
    public int hashCode() {
        return Objects.hash(trackId, codec, timescale, Arrays.hashCode(config), width, height, sampleRate, channels);
    }

    @Override
    public String toString() {
        return "Fmp4Track[" + trackId + " " + codec + " timescale=" + timescale
                + (isVideo() ? " " + width + "x" + height : " " + sampleRate + "Hz " + channels + "ch")
                + " config=" + config.length + "B]";
    }
}
