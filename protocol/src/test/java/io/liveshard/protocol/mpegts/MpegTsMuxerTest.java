package io.liveshard.protocol.mpegts;

import static io.liveshard.protocol.mpegts.MpegTsTestFrames.AUD;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.IDR;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.NON_IDR;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.PPS;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.SEI;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.SPS;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.aacConfig;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.aacFrame;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.annexB;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.h264Config;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.h265Config;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.video;
import static io.liveshard.protocol.mpegts.MpegTsTestFrames.videoFrame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.codec.AacAudioSpecificConfig;
import io.liveshard.protocol.codec.HevcDecoderConfigurationRecord;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.mpegts.MpegTsTestStream.Packet;
import io.liveshard.protocol.mpegts.MpegTsTestStream.Pes;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class MpegTsMuxerTest {

    private static final long WRAP = 1L << 33;
    private static final AacAudioSpecificConfig STEREO_44100 = AacAudioSpecificConfig.of(2, 44100, 2);
    /** H.265 NAL units: an IDR_W_RADL slice (type 19) and a TRAIL_R slice (type 1), two-byte headers. */
    private static final byte[] H265_IDR = {0x26, 0x01, (byte) 0xAF, 0x12};
    private static final byte[] H265_TRAIL = {0x02, 0x01, (byte) 0xD0, 0x34};

    private final MpegTsMuxer muxer = new MpegTsMuxer();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void accept(MediaFrame... frames) throws MpegTsException {
        for (MediaFrame frame : frames) {
            muxer.accept(frame, out);
        }
    }

    private List<Pes> pes() {
        return MpegTsTestStream.pes(out.toByteArray());
    }

    private byte[] pmtSection() {
        out.reset();
        muxer.writeTables(out);
        List<Packet> packets = MpegTsTestStream.packets(out.toByteArray());
        assertEquals(2, packets.size());
        assertEquals(MpegTsPids.PAT, packets.get(0).pid());
        assertEquals(MpegTsPids.PMT, packets.get(1).pid());
        out.reset();
        return MpegTsTestStream.section(packets.get(1));
    }

    private static int pcrPid(byte[] pmt) {
        return ((pmt[8] & 0x1F) << 8) | (pmt[9] & 0xFF);
    }

    private static List<Integer> streamTypes(byte[] pmt) {
        List<Integer> types = new ArrayList<>();
        for (int at = 12; at < pmt.length - 4; at += 5) {
            types.add(pmt[at] & 0xFF);
        }
        return types;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MediaCodec.class)
    void carriesH264H265AndAacOnly(MediaCodec codec) throws Exception {
        boolean carried = codec == MediaCodec.H264 || codec == MediaCodec.H265 || codec == MediaCodec.AAC;
        assertEquals(carried, MpegTsMuxer.carries(codec));
        if (!carried) {
            // Even a frame with garbage for a payload: skipped without a look at it.
            MediaFrame frame = new MediaFrame(codec.kind(), codec, false, true, 0, 0, new byte[] {1, 2, 3}, 1, 0);
            MediaFrame config = new MediaFrame(codec.kind(), codec, true, false, 0, 0, new byte[] {1, 2, 3}, 1, 0);
            accept(config, frame);
            assertEquals(0, out.size());
        }
    }

    @Test
    void framesBeforeTheirConfigAreSkippedAndConfigsWriteNothing() throws Exception {
        accept(videoFrame(MediaCodec.H264, true, 0, 0, IDR), aacFrame(0, new byte[] {0x21, 0x10}));
        assertEquals(0, out.size());

        accept(h264Config(), aacConfig(STEREO_44100));
        assertEquals(0, out.size(), "a config only updates the codec state");

        accept(videoFrame(MediaCodec.H265, true, 0, 0, H265_IDR));
        assertEquals(0, out.size(), "an H.265 frame after an H.264 config has no usable config");

        accept(videoFrame(MediaCodec.H264, true, 0, 0, IDR), aacFrame(0, new byte[] {0x21, 0x10}));
        assertEquals(2, pes().size());
    }

    @Test
    void emptyFramesWriteNothing() throws Exception {
        accept(h264Config(), aacConfig(STEREO_44100));
        accept(video(MediaCodec.H264, false, false, 40, 0, new byte[0]), aacFrame(40, new byte[0]));
        accept(videoFrame(MediaCodec.H264, false, 80, 0, AUD));
        assertEquals(0, out.size(), "an end-of-sequence tag, an empty AAC frame, a lone delimiter");
    }

    static Stream<Arguments> h264AccessUnits() {
        return Stream.of(
                Arguments.of("keyframe gets AUD, SPS, PPS", true, new byte[][] {IDR},
                        new byte[][] {AUD, SPS, PPS, IDR}),
                Arguments.of("keyframe with SEI", true, new byte[][] {SEI, IDR},
                        new byte[][] {AUD, SPS, PPS, SEI, IDR}),
                Arguments.of("non-keyframe gets AUD only", false, new byte[][] {NON_IDR},
                        new byte[][] {AUD, NON_IDR}),
                Arguments.of("in-band SPS and PPS are not repeated", true, new byte[][] {SPS, PPS, IDR},
                        new byte[][] {AUD, SPS, PPS, IDR}),
                Arguments.of("the publisher's AUD is replaced, not doubled", true, new byte[][] {AUD, SEI, IDR},
                        new byte[][] {AUD, SPS, PPS, SEI, IDR}),
                Arguments.of("an IDR slice without the key flag still gets SPS and PPS", false, new byte[][] {IDR},
                        new byte[][] {AUD, SPS, PPS, IDR}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("h264AccessUnits")
    void h264FramesBecomeAnnexBAccessUnits(String name, boolean keyframe, byte[][] in, byte[][] expected)
            throws Exception {
        accept(h264Config(), videoFrame(MediaCodec.H264, keyframe, 40, 0, in));

        List<Pes> pes = pes();
        assertEquals(1, pes.size());
        assertEquals(MpegTsPids.VIDEO, pes.get(0).pid());
        assertEquals(0xE0, pes.get(0).streamId());
        assertArrayEquals(annexB(expected), pes.get(0).payload());
        assertEquals(keyframe, pes.get(0).randomAccess(), "random_access_indicator follows the key flag");
    }

    @Test
    void h265KeyframesGetTheDelimiterAndVpsSpsPps() throws Exception {
        byte[] record = h265Config().body();
        HevcDecoderConfigurationRecord config = HevcDecoderConfigurationRecord.parse(record, 5, record.length - 5);
        accept(h265Config(), videoFrame(MediaCodec.H265, true, 0, 0, H265_IDR),
                videoFrame(MediaCodec.H265, false, 40, 0, H265_TRAIL));

        List<Pes> pes = pes();
        byte[] aud = {0x46, 0x01, 0x50};
        assertArrayEquals(annexB(aud, config.vps().get(0), config.sps().get(0), config.pps().get(0), H265_IDR),
                pes.get(0).payload());
        assertArrayEquals(annexB(aud, H265_TRAIL), pes.get(1).payload());
        assertEquals(35, (MpegTsTestStream.nalHeaders(pes.get(1).payload()).get(0) >> 1) & 0x3F, "AUD type 35");
        assertEquals(List.of(0x24), streamTypes(pmtSection()));
    }

    @Test
    void aacFramesGetAnAdtsHeaderInABoundedPes() throws Exception {
        byte[] raw = new byte[300];
        new Random(1).nextBytes(raw);
        accept(aacConfig(AacAudioSpecificConfig.of(2, 48000, 1)), aacFrame(1000, raw));

        Pes pes = pes().get(0);
        assertEquals(MpegTsPids.AUDIO, pes.pid());
        assertEquals(0xC0, pes.streamId());
        assertEquals(3 + 5 + 7 + 300, pes.packetLength(), "the real PES_packet_length for audio");
        assertEquals(90_000 + 90_000, pes.pts());
        assertEquals(-1, pes.dts(), "audio has a PTS only");
        byte[] payload = pes.payload();
        assertArrayEquals(AdtsHeader.forConfig(AacAudioSpecificConfig.of(2, 48000, 1)).forFrame(300),
                Arrays.copyOf(payload, 7));
        assertArrayEquals(raw, Arrays.copyOfRange(payload, 7, payload.length));
    }

    @Test
    void tablesListOnlyTheTracksWhoseConfigWasSeen() throws Exception {
        byte[] empty = pmtSection();
        assertEquals(List.of(), streamTypes(empty));
        assertEquals(MpegTsPids.NULL, pcrPid(empty));

        accept(aacConfig(STEREO_44100));
        byte[] audioOnly = pmtSection();
        assertEquals(List.of(0x0F), streamTypes(audioOnly));
        assertEquals(MpegTsPids.AUDIO, pcrPid(audioOnly), "audio carries the PCR without video");

        accept(h264Config());
        byte[] both = pmtSection();
        assertEquals(List.of(0x1B, 0x0F), streamTypes(both));
        assertEquals(MpegTsPids.VIDEO, pcrPid(both));
        int version = (both[5] >> 1) & 0x1F;
        assertEquals(((audioOnly[5] >> 1) & 0x1F) + 1, version, "a new stream is a new PMT version");

        accept(h264Config(), aacConfig(STEREO_44100));
        assertEquals(version, (pmtSection()[5] >> 1) & 0x1F, "a repeated config changes nothing");
    }

    @ParameterizedTest(name = "dts {0} ms, cts {1} ms")
    @MethodSource("videoTimestamps")
    void videoPesCarriesPtsAndDtsOnlyWhenTheyDiffer(long dtsMs, int ctsMs) throws Exception {
        accept(h264Config(), videoFrame(MediaCodec.H264, false, dtsMs, ctsMs, NON_IDR));

        Pes pes = pes().get(0);
        assertEquals(Math.floorMod(dtsMs * 90 + 90_000 + ctsMs * 90L, WRAP), pes.pts());
        assertEquals(ctsMs == 0 ? -1 : Math.floorMod(dtsMs * 90 + 90_000, WRAP), pes.dts());
    }

    static Stream<Arguments> videoTimestamps() {
        return Stream.of(Arguments.of(0L, 0), Arguments.of(66L, 133), Arguments.of(95_442_700L, 100),
                Arguments.of(95_443_000L, 0), Arguments.of(200_000_000L, 66));
    }

    @Test
    void keyframesCarryAPcrAndThePcrIsNeverLateOrBackwards() throws Exception {
        accept(h264Config(), aacConfig(STEREO_44100));
        muxer.writeTables(out);
        // 5 fps video with a keyframe every 10 frames, B-frame style CTS, and AAC every 23 ms: the PCR must come
        // from PCR-only packets between video frames, which are 200 ms apart.
        List<MediaFrame> frames = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            frames.add(videoFrame(MediaCodec.H264, i % 10 == 0, i * 200L, i % 10 == 0 ? 0 : 400,
                    i % 10 == 0 ? IDR : NON_IDR));
        }
        for (int t = 0; t < 6000; t += 23) {
            frames.add(aacFrame(t, new byte[] {0x21, 0x10, 0x04}));
        }
        frames.sort((a, b) -> Long.compare(a.dts(), b.dts()));
        for (MediaFrame frame : frames) {
            muxer.accept(frame, out);
        }

        long lastPcr = -1;
        long lastVideoDts = -1;
        int keyframes = 0;
        int pcrOnly = 0;
        for (Packet packet : MpegTsTestStream.packets(out.toByteArray())) {
            if (packet.pcr() >= 0) {
                assertEquals(MpegTsPids.VIDEO, packet.pid(), "the PCR is on the video PID");
                if (lastPcr >= 0) {
                    assertTrue(packet.pcr() >= lastPcr, "PCR runs forwards");
                    assertTrue(packet.pcr() - lastPcr <= 9000 + 23 * 90, "PCR gap " + (packet.pcr() - lastPcr));
                }
                lastPcr = packet.pcr();
                pcrOnly += packet.payload().length == 0 ? 1 : 0;
            }
        }
        for (Pes pes : pes()) {
            if (pes.pid() != MpegTsPids.VIDEO) {
                continue;
            }
            long dts = pes.dts() >= 0 ? pes.dts() : pes.pts();
            assertTrue(pes.pts() >= dts);
            assertTrue(dts > lastVideoDts, "DTS increases");
            lastVideoDts = dts;
            if (pes.randomAccess()) {
                keyframes++;
                assertTrue(pes.pcr() >= 0, "a keyframe PES carries a PCR");
                assertTrue(pes.pcr() <= dts, "the PCR does not run ahead of the keyframe's DTS");
            }
        }
        assertEquals(3, keyframes);
        assertTrue(pcrOnly > 20, "PCR-only packets fill the gaps between video frames: " + pcrOnly);
    }

    @Test
    void theFirstPesOfASegmentCarriesAPcrEvenWithoutAKeyframe() throws Exception {
        accept(aacConfig(STEREO_44100));
        muxer.writeTables(out);
        accept(aacFrame(0, new byte[] {1}), aacFrame(23, new byte[] {2}));
        muxer.writeTables(out);
        accept(aacFrame(46, new byte[] {3}));

        List<Pes> pes = pes();
        assertEquals(90_000 - 9_000, pes.get(0).pcr(), "100 ms behind the first DTS");
        assertEquals(-1, pes.get(1).pcr(), "23 ms later no PCR is due");
        assertEquals(90_000 + 46 * 90 - 9_000, pes.get(2).pcr(), "after the tables a PCR is due again");
    }

    @Test
    void continuityCountersRunAcrossSegments() throws Exception {
        accept(h264Config(), aacConfig(STEREO_44100));
        for (int segment = 0; segment < 20; segment++) {
            muxer.writeTables(out);
            accept(videoFrame(MediaCodec.H264, true, segment * 1000L, 0, IDR, new byte[600]),
                    aacFrame(segment * 1000L, new byte[200]));
        }
        int[] expected = new int[0x2000];
        for (Packet packet : MpegTsTestStream.packets(out.toByteArray())) {
            if (packet.payload().length > 0) {
                assertEquals(expected[packet.pid()], packet.continuity(), "PID " + packet.pid());
                expected[packet.pid()] = (expected[packet.pid()] + 1) % 16;
            }
        }
        assertEquals(20 % 16, expected[MpegTsPids.PAT]);
    }

    static Stream<Arguments> badVideo() {
        return Stream.of(
                Arguments.of("truncated length prefix", new byte[] {0, 0, 0, 5, 0x65, 1, 2, 3, 4, 0, 0},
                        "truncated NAL length prefix"),
                Arguments.of("oversize NAL length", new byte[] {0, 0, 0, 9, 0x65, 1, 2, 3},
                        "overruns the access unit"),
                Arguments.of("length 2^31 and more", new byte[] {(byte) 0x80, 0, 0, 0, 0x65, 1},
                        "overruns the access unit"),
                Arguments.of("second NAL overruns", new byte[] {0, 0, 0, 1, 0x65, 0, 0, 1, 0},
                        "overruns the access unit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badVideo")
    void malformedAvccIsRefusedAndNothingIsWritten(String name, byte[] payload, String message) throws Exception {
        accept(h264Config());
        MpegTsException e = assertThrows(MpegTsException.class,
                () -> muxer.accept(video(MediaCodec.H264, false, true, 1234, 0, payload), out));
        assertTrue(e.getMessage().startsWith("H264 frame at dts 1234 ms: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(0, out.size());

        accept(videoFrame(MediaCodec.H264, true, 1300, 0, IDR));
        assertEquals(1, pes().size(), "the muxer goes on with the next frame");
    }

    static Stream<Arguments> badConfigs() {
        byte[] avc = h264Config().body();
        byte[] hevc = h265Config().body();
        return Stream.of(
                Arguments.of("truncated AVC record", video(MediaCodec.H264, true, true, 0, 0,
                        Arrays.copyOfRange(avc, 5, avc.length - 3)), "truncated AVCDecoderConfigurationRecord"),
                Arguments.of("empty AVC record", video(MediaCodec.H264, true, true, 0, 0, new byte[0]),
                        "truncated AVCDecoderConfigurationRecord"),
                Arguments.of("truncated HEVC record", video(MediaCodec.H265, true, true, 0, 0,
                        Arrays.copyOfRange(hevc, 5, 40)), "truncated HEVCDecoderConfigurationRecord"),
                Arguments.of("empty AudioSpecificConfig", aacConfig(new byte[0]), "AAC config at dts 0 ms"),
                Arguments.of("AAC Main with a PCE", aacConfig(AacAudioSpecificConfig.of(1, 48000, 0)),
                        "channelConfiguration 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void malformedConfigsAreRefusedAndTheOldConfigStays(String name, MediaFrame bad, String message)
            throws Exception {
        accept(h264Config(), aacConfig(STEREO_44100));
        byte[] before = pmtSection();
        MpegTsException e = assertThrows(MpegTsException.class, () -> muxer.accept(bad, out));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(0, out.size());
        assertArrayEquals(before, pmtSection());
        accept(videoFrame(MediaCodec.H264, true, 0, 0, IDR));
        assertArrayEquals(annexB(AUD, SPS, PPS, IDR), pes().get(0).payload());
    }

    @Test
    void aNegativeCompositionOffsetIsRefused() throws Exception {
        accept(h264Config());
        MpegTsException e = assertThrows(MpegTsException.class,
                () -> muxer.accept(videoFrame(MediaCodec.H264, false, 100, -40, NON_IDR), out));
        assertTrue(e.getMessage().contains("composition offset -40"), e.getMessage());
        assertEquals(0, out.size());
    }

    @Test
    void anOversizeAacFrameIsRefused() throws Exception {
        accept(aacConfig(STEREO_44100));
        assertThrows(MpegTsException.class, () -> muxer.accept(aacFrame(0, new byte[8185]), out));
        assertEquals(0, out.size());
    }

    @Test
    void randomPayloadsOnlyEverRaiseTheCheckedException() throws Exception {
        Random random = new Random(188);
        accept(h264Config(), aacConfig(STEREO_44100));
        int refused = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] payload = new byte[random.nextInt(40)];
            random.nextBytes(payload);
            MediaCodec codec = switch (i % 4) {
                case 0 -> MediaCodec.H264;
                case 1 -> MediaCodec.H265;
                default -> MediaCodec.AAC;
            };
            boolean config = i % 3 == 0;
            MediaFrame frame = codec == MediaCodec.AAC
                    ? (config ? aacConfig(payload) : aacFrame(i, payload))
                    : video(codec, config, random.nextBoolean(), i, 0, payload);
            int before = out.size();
            try {
                muxer.accept(frame, out);
                assertEquals(0, (out.size() - before) % 188);
            } catch (MpegTsException expected) {
                refused++;
                assertFalse(expected.getMessage().isBlank());
                assertEquals(before, out.size(), "a refused frame writes nothing");
            }
        }
        assertTrue(refused > 100, "random bytes are mostly refused: " + refused);
        MpegTsTestStream.packets(out.toByteArray());
    }

    @Test
    void scriptDataIsSkipped() throws Exception {
        accept(new MediaFrame(MediaKind.DATA, MediaCodec.SCRIPT, false, false, 0, 0, new byte[] {2, 0, 1}, 0, 0));
        assertEquals(0, out.size());
    }
}
