package io.liveshard.protocol.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parses fragments back and checks moof fields against the samples and the mdat bytes the data offsets point at. */
class Fmp4FragmentTest {

    private static final Fmp4Track VIDEO = new Fmp4Track(1, MediaCodec.H264, 90_000, new byte[] {1}, 320, 240, 0, 0);
    private static final Fmp4Track AUDIO = new Fmp4Track(2, MediaCodec.AAC, 44_100, new byte[] {0x12, 0x08}, 0, 0,
            44_100, 1);

    /** The parsed trun of one traf. */
    private record Trun(int version, int flags, int sampleCount, int dataOffset, int[] durations, int[] sizes,
                        int[] sampleFlags, int[] compositionOffsets) {
    }

    private static Trun trun(Mp4Box traf) throws Fmp4Exception {
        Mp4Box box = traf.child("trun");
        ByteBuffer in = Fmp4TestMedia.fullFields(box);
        int count = in.getInt();
        int dataOffset = in.getInt();
        boolean cto = (box.flags() & Fmp4Fragment.TRUN_SAMPLE_COMPOSITION_OFFSET) != 0;
        int[] durations = new int[count];
        int[] sizes = new int[count];
        int[] flags = new int[count];
        int[] offsets = new int[count];
        for (int i = 0; i < count; i++) {
            durations[i] = in.getInt();
            sizes[i] = in.getInt();
            flags[i] = in.getInt();
            offsets[i] = cto ? in.getInt() : 0;
        }
        assertEquals(0, in.remaining(), "trun has exactly the announced samples");
        return new Trun(box.version(), box.flags(), count, dataOffset, durations, sizes, flags, offsets);
    }

    private static byte[] payload(int length, int seed) {
        byte[] data = new byte[length + 7];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (seed * 37 + i);
        }
        return data;
    }

    private static Fmp4Sample sample(long decodeTime, int duration, int cto, boolean key, int length, int seed) {
        return new Fmp4Sample(decodeTime, duration, cto, key, payload(length, seed), 3, length);
    }

    @Test
    void singleVideoRunWithBFrames() throws Exception {
        List<Fmp4Sample> samples = List.of(
                sample(900_000, 3000, 6000, true, 500, 1),
                sample(903_000, 3000, -3000, false, 40, 2),   // a B-frame shown before the P-frame decoded before it
                sample(906_000, 3000, 0, false, 41, 3),
                sample(909_000, 3003, 3000, false, 0, 4));     // an empty sample is legal
        byte[] fragment = Fmp4Fragment.build(42, List.of(new Fmp4TrackRun(VIDEO, samples)));

        List<Mp4Box> top = Mp4BoxReader.read(fragment);
        assertEquals(List.of("moof", "mdat"), top.stream().map(Mp4Box::type).toList());
        Mp4Box moof = top.get(0);
        assertEquals(List.of("mfhd", "traf"), moof.children().stream().map(Mp4Box::type).toList());
        assertEquals(42, Fmp4TestMedia.fullFields(moof.child("mfhd")).getInt(), "sequence_number");

        Mp4Box traf = moof.child("traf");
        assertEquals(List.of("tfhd", "tfdt", "trun"), traf.children().stream().map(Mp4Box::type).toList());
        Mp4Box tfhd = traf.child("tfhd");
        assertEquals(Fmp4Fragment.TFHD_DEFAULT_BASE_IS_MOOF, tfhd.flags());
        assertEquals(1, Fmp4TestMedia.fullFields(tfhd).getInt(), "track_ID");
        assertEquals(4, Fmp4TestMedia.fullFields(tfhd).remaining(), "no optional tfhd fields");
        Mp4Box tfdt = traf.child("tfdt");
        assertEquals(1, tfdt.version());
        assertEquals(900_000L, Fmp4TestMedia.fullFields(tfdt).getLong(), "baseMediaDecodeTime");

        Trun trun = trun(traf);
        assertEquals(1, trun.version(), "signed composition offsets");
        assertEquals(0x000F01, trun.flags());
        assertEquals(4, trun.sampleCount());
        assertArrayEquals(new int[] {3000, 3000, 3000, 3003}, trun.durations());
        assertArrayEquals(new int[] {500, 40, 41, 0}, trun.sizes());
        assertArrayEquals(new int[] {0x0200_0000, 0x0101_0000, 0x0101_0000, 0x0101_0000}, trun.sampleFlags());
        assertArrayEquals(new int[] {6000, -3000, 0, 3000}, trun.compositionOffsets());

        Mp4Box mdat = top.get(1);
        assertEquals(moof.size() + 8, trun.dataOffset(), "the first sample starts right after the mdat header");
        assertEquals(mdat.payloadOffset(), trun.dataOffset());
        assertEquals(581, mdat.payloadLength());
        assertMediaAt(fragment, trun.dataOffset(), samples);
    }

    /** The samples' payloads appear back to back at {@code at}. */
    private static void assertMediaAt(byte[] fragment, int at, List<Fmp4Sample> samples) {
        int position = at;
        for (Fmp4Sample sample : samples) {
            assertArrayEquals(Arrays.copyOfRange(sample.data(), sample.offset(), sample.offset() + sample.length()),
                    Arrays.copyOfRange(fragment, position, position + sample.length()));
            position += sample.length();
        }
    }

    @Test
    void twoTracksShareOneMdatTrackAfterTrack() throws Exception {
        List<Fmp4Sample> video = List.of(sample(0, 6000, 0, true, 300, 1), sample(6000, 6000, 0, false, 30, 2));
        List<Fmp4Sample> audio = List.of(sample(0, 1024, 0, false, 200, 3), sample(1024, 1024, 0, false, 201, 4),
                sample(2048, 1024, 0, false, 202, 5));
        byte[] fragment = Fmp4Fragment.build(1, List.of(new Fmp4TrackRun(VIDEO, video),
                new Fmp4TrackRun(AUDIO, audio)));

        List<Mp4Box> top = Mp4BoxReader.read(fragment);
        List<Mp4Box> trafs = top.get(0).children("traf");
        assertEquals(2, trafs.size());
        Trun videoRun = trun(trafs.get(0));
        Trun audioRun = trun(trafs.get(1));
        assertEquals(2, Fmp4TestMedia.fullFields(trafs.get(1).child("tfhd")).getInt(), "track_ID");
        assertEquals(0L, Fmp4TestMedia.fullFields(trafs.get(1).child("tfdt")).getLong());

        assertEquals(Fmp4Fragment.TRUN_DATA_OFFSET | Fmp4Fragment.TRUN_SAMPLE_DURATION
                | Fmp4Fragment.TRUN_SAMPLE_SIZE | Fmp4Fragment.TRUN_SAMPLE_FLAGS, videoRun.flags(),
                "no composition offsets when all are zero");
        assertArrayEquals(new int[] {Fmp4SampleFlags.SYNC, Fmp4SampleFlags.NON_SYNC}, videoRun.sampleFlags());
        assertArrayEquals(new int[] {Fmp4SampleFlags.SYNC, Fmp4SampleFlags.SYNC, Fmp4SampleFlags.SYNC},
                audioRun.sampleFlags(), "every audio frame is a sync sample");
        assertArrayEquals(new int[] {1024, 1024, 1024}, audioRun.durations());

        assertEquals(top.get(1).payloadOffset(), videoRun.dataOffset());
        assertEquals(videoRun.dataOffset() + 330, audioRun.dataOffset(), "audio follows all video bytes");
        assertEquals(330 + 603, top.get(1).payloadLength());
        assertMediaAt(fragment, videoRun.dataOffset(), video);
        assertMediaAt(fragment, audioRun.dataOffset(), audio);
    }

    @Test
    void samplesFromMediaFramesConvertMillisecondsWithoutDrift() throws Exception {
        long[] dts = {0, 23, 46, 70, 93};
        MediaFrame[] frames = new MediaFrame[dts.length];
        for (int i = 0; i < dts.length; i++) {
            frames[i] = new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, false, false, dts[i], 0,
                    new byte[] {(byte) 0xAF, 1, (byte) i, 9}, 2, 0);
        }
        long expectedDecodeTime = 0;
        for (int i = 0; i < dts.length - 1; i++) {
            Fmp4Sample sample = Fmp4Sample.of(AUDIO, frames[i], dts[i + 1]);
            assertEquals(expectedDecodeTime, sample.decodeTime());
            assertTrue(sample.keyframe(), "audio samples are sync samples");
            assertEquals(2, sample.offset());
            assertEquals(2, sample.length());
            expectedDecodeTime += sample.duration();
        }
        assertEquals(Fmp4Track.toTimescale(93, 44_100), expectedDecodeTime, "durations add up to the last dts");

        MediaFrame bFrame = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, false, 1000, -33,
                new byte[] {0x27, 1, 0, 0, 0, 7}, 5, 0);
        Fmp4Sample video = Fmp4Sample.of(VIDEO, bFrame, 1067);
        assertEquals(90_000, video.decodeTime());
        assertEquals(6030, video.duration());
        assertEquals(-2970, video.compositionOffset());
        assertTrue(!video.keyframe());

        assertThrows(Fmp4Exception.class, () -> Fmp4Sample.of(VIDEO, bFrame, 999), "next frame decodes earlier");
    }

    static Stream<Arguments> badFragments() {
        byte[] data = new byte[10];
        Fmp4Sample good = new Fmp4Sample(0, 3000, 0, true, data, 0, 10);
        return Stream.of(
                Arguments.of(Named.of("no runs", List.of())),
                Arguments.of(Named.of("a run without samples", List.of(new Fmp4TrackRun(VIDEO, List.of())))),
                Arguments.of(Named.of("two runs for one track",
                        List.of(new Fmp4TrackRun(VIDEO, List.of(good)), new Fmp4TrackRun(VIDEO, List.of(good))))),
                Arguments.of(Named.of("a negative duration",
                        List.of(new Fmp4TrackRun(VIDEO, List.of(new Fmp4Sample(0, -1, 0, true, data, 0, 10)))))),
                Arguments.of(Named.of("a negative size",
                        List.of(new Fmp4TrackRun(VIDEO, List.of(new Fmp4Sample(0, 1, 0, true, data, 0, -1)))))),
                Arguments.of(Named.of("a negative offset",
                        List.of(new Fmp4TrackRun(VIDEO, List.of(new Fmp4Sample(0, 1, 0, true, data, -1, 5)))))),
                Arguments.of(Named.of("a slice past the array end",
                        List.of(new Fmp4TrackRun(VIDEO, List.of(new Fmp4Sample(0, 1, 0, true, data, 6, 5)))))),
                Arguments.of(Named.of("a slice whose end overflows int", List.of(new Fmp4TrackRun(VIDEO,
                        List.of(new Fmp4Sample(0, 1, 0, true, data, 5, Integer.MAX_VALUE)))))),
                Arguments.of(Named.of("no array",
                        List.of(new Fmp4TrackRun(VIDEO, List.of(new Fmp4Sample(0, 1, 0, true, null, 0, 0)))))),
                Arguments.of(Named.of("a negative decode time",
                        List.of(new Fmp4TrackRun(VIDEO, List.of(new Fmp4Sample(-1, 1, 0, true, data, 0, 1)))))),
                Arguments.of(Named.of("a decode time that does not follow from the durations",
                        List.of(new Fmp4TrackRun(VIDEO, List.of(good, new Fmp4Sample(3001, 1, 0, false, data, 0,
                                1)))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFragments")
    void refuses(List<Fmp4TrackRun> runs) {
        Fmp4Exception e = assertThrows(Fmp4Exception.class, () -> Fmp4Fragment.build(1, runs));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }

    @Test
    void refusesANegativeSequenceNumber() {
        List<Fmp4TrackRun> runs = List.of(new Fmp4TrackRun(VIDEO, List.of(sample(0, 1, 0, true, 1, 1))));
        assertThrows(Fmp4Exception.class, () -> Fmp4Fragment.build(-1, runs));
    }

    @Test
    void aSampleIsNotCopiedBeforeTheFragmentIsBuilt() throws Exception {
        byte[] data = {1, 2, 3, 4};
        Fmp4Sample sample = new Fmp4Sample(0, 10, 0, true, data, 1, 2);
        data[1] = 9;
        byte[] fragment = Fmp4Fragment.build(1, List.of(new Fmp4TrackRun(VIDEO, List.of(sample))));
        assertArrayEquals(new byte[] {9, 3}, Arrays.copyOfRange(fragment, fragment.length - 2, fragment.length));
    }
}
