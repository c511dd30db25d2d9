package io.liveshard.protocol.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liveshard.protocol.media.MediaCodec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parses init segments back with {@link Mp4BoxReader} and checks every field a player reads. */
class Fmp4InitSegmentTest {

    private static List<Mp4Box> build(Fmp4Track... tracks) throws Fmp4Exception {
        byte[] init = Fmp4InitSegment.build(List.of(tracks));
        List<Mp4Box> top = Mp4BoxReader.read(init);
        assertEquals(List.of("ftyp", "moov"), top.stream().map(Mp4Box::type).toList());
        assertEquals(init.length, top.get(0).size() + top.get(1).size(), "the top-level boxes fill the segment");
        return top;
    }

    private static String fourCc(ByteBuffer in) {
        byte[] code = new byte[4];
        in.get(code);
        return new String(code, StandardCharsets.US_ASCII);
    }

    @Test
    void ftypDeclaresIso6AndCmaf() throws Exception {
        ByteBuffer ftyp = Fmp4TestMedia.fields(build(Fmp4Track.video(1, Fmp4TrackTest.h264Config())).get(0));

        assertEquals("iso6", fourCc(ftyp));
        assertEquals(0, ftyp.getInt());
        List<String> brands = new ArrayList<>();
        while (ftyp.hasRemaining()) {
            brands.add(fourCc(ftyp));
        }
        assertEquals(List.of("iso6", "cmfc", "isom", "mp41"), brands);
    }

    @Test
    void videoAndAudioTracksAreDeclaredWithTheirTimescalesAndSampleEntries() throws Exception {
        Fmp4Track video = Fmp4Track.video(1, Fmp4TrackTest.h264Config());
        Fmp4Track audio = Fmp4Track.audio(2, Fmp4TrackTest.aacConfig());
        Mp4Box moov = build(video, audio).get(1);

        assertEquals(List.of("mvhd", "trak", "trak", "mvex"), moov.children().stream().map(Mp4Box::type).toList());
        ByteBuffer mvhd = Fmp4TestMedia.fullFields(moov.child("mvhd"));
        assertEquals(0, moov.child("mvhd").version());
        assertEquals(1000, mvhd.getInt(8), "movie timescale");
        assertEquals(0, mvhd.getInt(12), "duration");
        assertEquals(0x0001_0000, mvhd.getInt(16), "rate");
        assertEquals(3, mvhd.getInt(mvhd.limit() - 4), "next_track_ID");

        List<Mp4Box> traks = moov.children("trak");
        checkTrack(traks.get(0), video, "vide", "vmhd");
        checkTrack(traks.get(1), audio, "soun", "smhd");

        Mp4Box avc1 = sampleEntry(traks.get(0));
        assertEquals("avc1", avc1.type());
        ByteBuffer visual = Fmp4TestMedia.fields(avc1);
        assertEquals(1, visual.getShort(6), "data_reference_index");
        assertEquals(320, visual.getShort(24));
        assertEquals(240, visual.getShort(26));
        assertEquals(1, visual.getShort(40), "frame_count");
        assertEquals(0x18, visual.getShort(74), "depth");
        assertEquals(-1, visual.getShort(76), "pre_defined");
        List<Mp4Box> avc1Children = avc1.children(78);
        assertEquals(List.of("avcC"), avc1Children.stream().map(Mp4Box::type).toList());
        assertArrayEquals(Fmp4TrackTest.payload(Fmp4TrackTest.h264Config()), avc1Children.get(0).payload(),
                "avcC is the FLV sequence header's record, byte for byte");

        Mp4Box mp4a = sampleEntry(traks.get(1));
        assertEquals("mp4a", mp4a.type());
        ByteBuffer sound = Fmp4TestMedia.fields(mp4a);
        assertEquals(1, sound.getShort(6), "data_reference_index");
        assertEquals(1, sound.getShort(16), "channelcount");
        assertEquals(16, sound.getShort(18), "samplesize");
        assertEquals(44_100L << 16, sound.getInt(24) & 0xFFFF_FFFFL, "samplerate 16.16");
        Mp4Box esds = Mp4Box.only(mp4a.children(28), "esds", "mp4a");
        checkEsds(esds, Fmp4TrackTest.payload(Fmp4TrackTest.aacConfig()));

        List<Mp4Box> trexes = moov.child("mvex").children("trex");
        assertEquals(2, trexes.size());
        for (int i = 0; i < 2; i++) {
            ByteBuffer trex = Fmp4TestMedia.fullFields(trexes.get(i));
            assertEquals(i + 1, trex.getInt(), "track_ID");
            assertEquals(1, trex.getInt(), "default_sample_description_index");
            assertEquals(0, trex.getInt(), "default_sample_duration");
            assertEquals(0, trex.getInt(), "default_sample_size");
            assertEquals(0, trex.getInt(), "default_sample_flags");
        }
    }

    private static Mp4Box sampleEntry(Mp4Box trak) throws Fmp4Exception {
        Mp4Box stsd = Fmp4TestMedia.path(trak, "mdia", "minf", "stbl", "stsd");
        assertEquals(1, Fmp4TestMedia.fullFields(stsd).getInt(), "entry_count");
        List<Mp4Box> entries = stsd.children(8);
        assertEquals(1, entries.size());
        return entries.get(0);
    }

    private static void checkTrack(Mp4Box trak, Fmp4Track track, String handler, String mediaHeader)
            throws Fmp4Exception {
        assertEquals(List.of("tkhd", "mdia"), trak.children().stream().map(Mp4Box::type).toList());
        Mp4Box tkhdBox = trak.child("tkhd");
        assertEquals(3, tkhdBox.flags(), "enabled, in movie");
        ByteBuffer tkhd = Fmp4TestMedia.fullFields(tkhdBox);
        assertEquals(track.trackId(), tkhd.getInt(8));
        assertEquals(track.isVideo() ? 0 : 0x0100, tkhd.getShort(32), "volume");
        assertEquals(track.width() << 16, tkhd.getInt(72));
        assertEquals(track.height() << 16, tkhd.getInt(76));

        Mp4Box mdia = trak.child("mdia");
        assertEquals(List.of("mdhd", "hdlr", "minf"), mdia.children().stream().map(Mp4Box::type).toList());
        ByteBuffer mdhd = Fmp4TestMedia.fullFields(mdia.child("mdhd"));
        assertEquals(track.timescale(), mdhd.getInt(8), "media timescale");
        assertEquals(0x55C4, mdhd.getShort(16) & 0xFFFF, "language und");
        ByteBuffer hdlr = Fmp4TestMedia.fullFields(mdia.child("hdlr"));
        hdlr.position(4);
        assertEquals(handler, fourCc(hdlr));

        Mp4Box minf = mdia.child("minf");
        assertEquals(List.of(mediaHeader, "dinf", "stbl"), minf.children().stream().map(Mp4Box::type).toList());
        Mp4Box dref = Fmp4TestMedia.path(minf, "dinf", "dref");
        Mp4Box url = Mp4Box.only(dref.children(8), "url ", "dref");
        assertEquals(1, url.flags(), "media in the same file");

        Mp4Box stbl = minf.child("stbl");
        assertEquals(List.of("stsd", "stts", "stsc", "stsz", "stco"),
                stbl.children().stream().map(Mp4Box::type).toList());
        for (String table : List.of("stts", "stsc", "stco")) {
            assertEquals(0, Fmp4TestMedia.fullFields(stbl.child(table)).getInt(), table + " is empty");
        }
        ByteBuffer stsz = Fmp4TestMedia.fullFields(stbl.child("stsz"));
        assertEquals(0, stsz.getInt());
        assertEquals(0, stsz.getInt());
    }

    /** ES_Descriptor > DecoderConfigDescriptor (AAC, audio stream) > DecoderSpecificInfo (the ASC), SLConfig 2. */
    private static void checkEsds(Mp4Box esds, byte[] asc) {
        ByteBuffer in = Fmp4TestMedia.fullFields(esds);
        assertEquals(0x03, in.get(), "ES_DescrTag");
        int esSize = in.get();
        assertEquals(in.remaining(), esSize);
        assertEquals(0, in.getShort(), "ES_ID");
        assertEquals(0, in.get(), "flags");
        assertEquals(0x04, in.get(), "DecoderConfigDescrTag");
        assertEquals(13 + 2 + asc.length, in.get());
        assertEquals(0x40, in.get(), "objectTypeIndication: MPEG-4 audio");
        assertEquals(0x15, in.get(), "streamType audio, reserved bit");
        in.position(in.position() + 11);
        assertEquals(0x05, in.get(), "DecSpecificInfoTag");
        byte[] carried = new byte[in.get()];
        in.get(carried);
        assertArrayEquals(asc, carried, "the AudioSpecificConfig");
        assertEquals(0x06, in.get(), "SLConfigDescrTag");
        assertEquals(1, in.get());
        assertEquals(2, in.get(), "predefined MP4");
        assertEquals(0, in.remaining());
    }

    @Test
    void hevcTrackGetsHvc1WithTheRecordAsHvcC() throws Exception {
        Fmp4Track hevc = Fmp4Track.video(1, Fmp4TrackTest.hevcConfig());
        Mp4Box entry = sampleEntry(build(hevc).get(1).child("trak"));

        assertEquals("hvc1", entry.type());
        assertEquals(640, Fmp4TestMedia.fields(entry).getShort(24));
        assertEquals(360, Fmp4TestMedia.fields(entry).getShort(26));
        Mp4Box hvcC = Mp4Box.only(entry.children(78), "hvcC", "hvc1");
        assertArrayEquals(Fmp4TestMedia.resource(Fmp4TestMedia.HVCC_FIXTURE), hvcC.payload());
    }

    @Test
    void opusTrackGetsAnOpusEntryWithDops() throws Exception {
        Fmp4Track opus = Fmp4Track.audio(5, Fmp4TrackTest.opusConfig());
        Mp4Box moov = build(opus).get(1);
        Mp4Box entry = sampleEntry(moov.child("trak"));

        assertEquals("Opus", entry.type());
        assertEquals(2, Fmp4TestMedia.fields(entry).getShort(16), "channelcount");
        assertEquals(48_000L << 16, Fmp4TestMedia.fields(entry).getInt(24) & 0xFFFF_FFFFL);
        assertArrayEquals(opus.config(), Mp4Box.only(entry.children(28), "dOps", "Opus").payload());
        assertEquals(6, Fmp4TestMedia.fullFields(moov.child("mvhd")).getInt(92), "next_track_ID");
    }

    @Test
    void longAudioSpecificConfigGetsAMultiByteDescriptorSize() throws Exception {
        byte[] asc = new byte[200];
        asc[0] = 0x12;
        asc[1] = 0x10;
        Fmp4Track aac = new Fmp4Track(1, MediaCodec.AAC, 44_100, asc, 0, 0, 44_100, 2);
        Mp4Box esds = Mp4Box.only(sampleEntry(build(aac).get(1).child("trak")).children(28), "esds", "mp4a");
        byte[] bytes = esds.payload();
        // The DecSpecificInfo size 200 takes two bytes: 0x81 0x48.
        int tag = indexOf(bytes, new byte[] {0x05, (byte) 0x81, 0x48, 0x12, 0x10});
        assertEquals(200, bytes.length - tag - 3 - 3, "tag and size, the ASC, then the 3-byte SLConfigDescriptor");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void rejectsNoTracksAndDuplicateTrackIds() throws Exception {
        Fmp4Track video = Fmp4Track.video(1, Fmp4TrackTest.h264Config());
        Fmp4Track audio = Fmp4Track.audio(1, Fmp4TrackTest.aacConfig());

        assertThrows(Fmp4Exception.class, () -> Fmp4InitSegment.build(List.of()));
        assertThrows(Fmp4Exception.class, () -> Fmp4InitSegment.build(List.of(video, audio)));
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 48_000, 65_535, 96_000})
    void sampleRatesAboveSixteenBitsAreLeftToTheEsds(int rate) throws Exception {
        Fmp4Track aac = new Fmp4Track(1, MediaCodec.AAC, rate, new byte[] {0x12, 0x10}, 0, 0, rate, 2);
        Mp4Box entry = sampleEntry(build(aac).get(1).child("trak"));
        long expected = rate <= 0xFFFF ? (long) rate << 16 : 0;
        assertEquals(expected, Fmp4TestMedia.fields(entry).getInt(24) & 0xFFFF_FFFFL);
    }
}
