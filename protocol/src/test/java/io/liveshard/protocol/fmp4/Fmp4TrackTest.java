package io.liveshard.protocol.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Tracks built from real configuration frames, and the refusal of frames that cannot describe a track. */
class Fmp4TrackTest {

    static final List<MediaFrame> FLV_FRAMES = readFixture();

    /** An OpusHead (RFC 7845, 5.1): stereo, pre-skip 312, 44.1 kHz input, gain -256 (0xff00), family 0. */
    static final byte[] OPUS_HEAD = hex("4f707573486561640102380144ac000000ff00");

    private static List<MediaFrame> readFixture() {
        try {
            return Fmp4TestMedia.readFlv(Fmp4TestMedia.resource(Fmp4TestMedia.FLV_FIXTURE));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static MediaFrame config(MediaKind kind, MediaCodec codec, byte[] payload) {
        byte[] body = new byte[payload.length + 5];
        System.arraycopy(payload, 0, body, 5, payload.length);
        return new MediaFrame(kind, codec, true, false, 0, 0, body, 5, 0);
    }

    static MediaFrame h264Config() {
        return Fmp4TestMedia.firstConfig(FLV_FRAMES, true);
    }

    static MediaFrame aacConfig() {
        return Fmp4TestMedia.firstConfig(FLV_FRAMES, false);
    }

    static MediaFrame hevcConfig() {
        return config(MediaKind.VIDEO, MediaCodec.H265, Fmp4TestMedia.resource(Fmp4TestMedia.HVCC_FIXTURE));
    }

    static MediaFrame opusConfig() {
        return config(MediaKind.AUDIO, MediaCodec.OPUS, OPUS_HEAD);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] payload(MediaFrame frame) {
        return Arrays.copyOfRange(frame.body(), frame.payloadOffset(), frame.body().length);
    }

    @Test
    void h264TrackKeepsTheRecordAndReadsThePictureSizeFromTheSps() throws Exception {
        Fmp4Track track = Fmp4Track.video(1, h264Config());

        assertEquals(new Fmp4Track(1, MediaCodec.H264, 90_000, payload(h264Config()), 320, 240, 0, 0), track);
        assertTrue(track.isVideo());
    }

    @Test
    void h265TrackReadsThePictureSizeFromItsSps() throws Exception {
        Fmp4Track track = Fmp4Track.video(3, hevcConfig());

        assertEquals(MediaCodec.H265, track.codec());
        assertEquals(640, track.width());
        assertEquals(360, track.height());
        assertEquals(90_000, track.timescale());
        assertArrayEquals(Fmp4TestMedia.resource(Fmp4TestMedia.HVCC_FIXTURE), track.config());
    }

    @Test
    void aacTrackCountsInItsSampleRate() throws Exception {
        Fmp4Track track = Fmp4Track.audio(2, aacConfig());

        assertEquals(new Fmp4Track(2, MediaCodec.AAC, 44_100, payload(aacConfig()), 0, 0, 44_100, 1), track);
        assertTrue(!track.isVideo());
    }

    @Test
    void opusTrackTurnsTheOpusHeadIntoDops() throws Exception {
        Fmp4Track track = Fmp4Track.audio(2, opusConfig());

        assertEquals(48_000, track.timescale());
        assertEquals(2, track.channels());
        // dOps: version 0, 2 channels, pre-skip 312, input rate 44100, gain -256, family 0; all big-endian.
        assertArrayEquals(hex("00 02 0138 0000ac44 ff00 00"), track.config());
    }

    @Test
    void opusHeadWithAChannelMappingTableKeepsIt() throws Exception {
        byte[] head = hex("4f707573486561640106000080bb00000000" + "01" + "0402" + "000401020503");
        Fmp4Track track = Fmp4Track.audio(2, config(MediaKind.AUDIO, MediaCodec.OPUS, head));

        assertEquals(6, track.channels());
        assertArrayEquals(hex("00 06 0000 0000bb80 0000 01 04 02 000401020503"),
                track.config());
    }

    @Test
    void opusWithoutOpusHeadIsStereoWithoutPreSkip() throws Exception {
        Fmp4Track track = Fmp4Track.audio(2, config(MediaKind.AUDIO, MediaCodec.OPUS, new byte[0]));

        assertEquals(2, track.channels());
        assertArrayEquals(hex("00 02 0000 0000bb80 0000 00"), track.config());
    }

    @Test
    void configIsCopiedInAndOut() throws Exception {
        byte[] config = {1, 2, 3};
        Fmp4Track track = new Fmp4Track(1, MediaCodec.AAC, 48_000, config, 0, 0, 48_000, 2);
        config[0] = 9;
        track.config()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, track.config());
    }

    static Stream<Arguments> badVideoConfigs() {
        byte[] avc = payload(h264Config());
        return Stream.of(
                Arguments.of(Named.of("no frame", null)),
                Arguments.of(Named.of("an audio config", aacConfig())),
                Arguments.of(Named.of("a media frame, not a config", new MediaFrame(MediaKind.VIDEO, MediaCodec.H264,
                        false, true, 0, 0, new byte[] {0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65}, 5, 0))),
                Arguments.of(Named.of("an empty record", config(MediaKind.VIDEO, MediaCodec.H264, new byte[0]))),
                Arguments.of(Named.of("a truncated record",
                        config(MediaKind.VIDEO, MediaCodec.H264, Arrays.copyOf(avc, 12)))),
                Arguments.of(Named.of("a record without SPS",
                        config(MediaKind.VIDEO, MediaCodec.H264, hex("0164001fffe0 00")))),
                Arguments.of(Named.of("a PPS where the SPS belongs", config(MediaKind.VIDEO, MediaCodec.H264,
                        hex("0164001fffe1 0002 68ee 00")))),
                Arguments.of(Named.of("a truncated hvcC", config(MediaKind.VIDEO, MediaCodec.H265,
                        Arrays.copyOf(Fmp4TestMedia.resource(Fmp4TestMedia.HVCC_FIXTURE), 40)))),
                Arguments.of(Named.of("AV1, which fMP4 output does not carry",
                        config(MediaKind.VIDEO, MediaCodec.AV1, new byte[] {(byte) 0x81, 0, 0, 0}))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badVideoConfigs")
    void videoTrackRefuses(MediaFrame frame) {
        Fmp4Exception e = assertThrows(Fmp4Exception.class, () -> Fmp4Track.video(1, frame));
        assertTrue(e.getMessage().startsWith("track 1: "), e.getMessage());
    }

    static Stream<Arguments> badAudioConfigs() {
        return Stream.of(
                Arguments.of(Named.of("no frame", null)),
                Arguments.of(Named.of("a video config", h264Config())),
                Arguments.of(Named.of("an empty AudioSpecificConfig",
                        config(MediaKind.AUDIO, MediaCodec.AAC, new byte[0]))),
                Arguments.of(Named.of("audioObjectType 0", config(MediaKind.AUDIO, MediaCodec.AAC, new byte[] {0, 0}))),
                Arguments.of(Named.of("a reserved frequency index",
                        config(MediaKind.AUDIO, MediaCodec.AAC, new byte[] {0x16, (byte) 0x88}))),
                Arguments.of(Named.of("Opus that is not an OpusHead",
                        config(MediaKind.AUDIO, MediaCodec.OPUS, "OpusTags-and-more-bytes".getBytes()))),
                Arguments.of(Named.of("OpusHead with 0 channels", config(MediaKind.AUDIO, MediaCodec.OPUS,
                        hex("4f707573486561640100380144ac000000ff00")))),
                Arguments.of(Named.of("OpusHead version 2.0", config(MediaKind.AUDIO, MediaCodec.OPUS,
                        hex("4f707573486561642002380144ac000000ff00")))),
                Arguments.of(Named.of("OpusHead family 1 without its mapping table", config(MediaKind.AUDIO,
                        MediaCodec.OPUS, hex("4f707573486561640106000080bb0000000001")))),
                Arguments.of(Named.of("MP3, which fMP4 output does not carry",
                        config(MediaKind.AUDIO, MediaCodec.OTHER_AUDIO, new byte[] {1, 2}))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAudioConfigs")
    void audioTrackRefuses(MediaFrame frame) {
        Fmp4Exception e = assertThrows(Fmp4Exception.class, () -> Fmp4Track.audio(2, frame));
        assertTrue(e.getMessage().startsWith("track 2: "), e.getMessage());
    }

    @Test
    void trackIdZeroIsRefused() {
        assertThrows(Fmp4Exception.class, () -> Fmp4Track.video(0, h264Config()));
        assertThrows(Fmp4Exception.class, () -> Fmp4Track.audio(0, opusConfig()));
        assertThrows(IllegalArgumentException.class,
                () -> new Fmp4Track(0, MediaCodec.AAC, 44_100, new byte[2], 0, 0, 44_100, 1));
    }

    @ParameterizedTest(name = "{0} ms at {1} Hz = {2}")
    @CsvSource({
        "0,         90000, 0",
        "1,         90000, 90",
        "33,        90000, 2970",
        "23,        44100, 1014",
        "1000,      44100, 44100",
        "-1,        44100, -45",
        "20,        48000, 960",
        "5000000000, 90000, 450000000000",
    })
    void millisecondsConvertToTheTimescaleRoundingDown(long millis, int timescale, long expected) {
        assertEquals(expected, Fmp4Track.toTimescale(millis, timescale));
    }
}
