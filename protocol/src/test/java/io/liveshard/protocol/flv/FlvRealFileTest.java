package io.liveshard.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.codec.AacAudioSpecificConfig;
import io.liveshard.protocol.codec.AnnexB;
import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.H264NalUnitType;
import io.liveshard.protocol.codec.H264Sps;
import io.liveshard.protocol.codec.H264SpsParser;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reads the FLV file ffmpeg wrote (see src/test/resources/flv/README.txt) through the whole FLV and codec stack. */
class FlvRealFileTest {

    private static final byte[] FILE = FlvTestBytes.resource("/flv/testsrc2-320x240-15fps-aac.flv");

    @Test
    void readsEveryTagOfTheFile() {
        FlvStreamReader reader = new FlvStreamReader();
        List<FlvTag> tags = FlvStreamReaderTest.readAll(reader, FILE, FILE.length);

        assertNull(reader.failureReason());
        assertTrue(reader.hasAudio());
        assertTrue(reader.hasVideo());
        assertTrue(reader.atTagBoundary(), "the file ends after a whole tag");
        assertEquals(64, tags.size());
        assertEquals(1, count(tags, FlvTagType.SCRIPT));
        assertEquals(17, count(tags, FlvTagType.VIDEO));
        assertEquals(46, count(tags, FlvTagType.AUDIO));
        assertEquals(FlvTagType.SCRIPT, tags.get(0).type());
        assertEquals(933, tags.get(tags.size() - 1).timestamp());
    }

    @Test
    void feedingOneByteAtATimeGivesTheSameTags() {
        List<FlvTag> whole = FlvStreamReaderTest.readAll(new FlvStreamReader(), FILE, FILE.length);
        List<FlvTag> bytewise = FlvStreamReaderTest.readAll(new FlvStreamReader(), FILE, 1);

        assertEquals(whole.size(), bytewise.size());
        for (int i = 0; i < whole.size(); i++) {
            assertEquals(whole.get(i).timestamp(), bytewise.get(i).timestamp());
            assertArrayEquals(whole.get(i).body(), bytewise.get(i).body());
        }
    }

    @Test
    void theFirstVideoTagIsAnAvcSequenceHeaderDescribing320x240() throws Exception {
        FlvTag first = firstOf(FlvTagType.VIDEO);
        MediaFrame frame = FlvMediaParser.parseVideo(first.body(), first.timestamp(), 0);

        assertEquals(MediaCodec.H264, frame.codec());
        assertTrue(frame.config());
        AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(frame.body(), frame.payloadOffset(),
                frame.payloadLength());
        assertEquals(4, record.nalLengthSize());
        // ffmpeg appends the high-profile extension (chroma format, bit depths), which encode() leaves out.
        assertArrayEquals(Arrays.copyOfRange(first.body(), 5, first.body().length - 4), record.encode());
        assertEquals(1, record.sps().size());
        assertEquals(1, record.pps().size());
        byte[] sps = record.firstSps();
        H264Sps parsed = H264SpsParser.parse(sps, 0, sps.length);
        assertEquals(320, parsed.width());
        assertEquals(240, parsed.height());
        assertEquals(100, parsed.profileIdc());
        assertEquals(15.0, parsed.frameRate(), 1e-9);
        assertEquals(record.profileIndication(), parsed.profileIdc());
        assertEquals(record.levelIndication(), parsed.levelIdc());
    }

    @Test
    void theFirstAudioTagIsAnAacSequenceHeaderFor44100HzMono() throws Exception {
        FlvTag first = firstOf(FlvTagType.AUDIO);
        MediaFrame frame = FlvMediaParser.parseAudio(first.body(), first.timestamp(), 0);

        assertEquals(MediaCodec.AAC, frame.codec());
        assertTrue(frame.config());
        AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(frame.body(), frame.payloadOffset(),
                frame.payloadLength());
        assertEquals(new AacAudioSpecificConfig(2, 4, 44100, 1), config);
    }

    @Test
    void everyMediaTagParsesAndEveryVideoFrameSplitsIntoNalUnits() throws Exception {
        int keyframes = 0;
        int idrNalUnits = 0;
        int endOfSequenceTags = 0;
        for (FlvTag tag : FlvStreamReaderTest.readAll(new FlvStreamReader(), FILE, FILE.length)) {
            if (tag.type() == FlvTagType.AUDIO) {
                assertEquals(MediaCodec.AAC, FlvMediaParser.parseAudio(tag.body(), tag.timestamp(), 0).codec());
            } else if (tag.type() == FlvTagType.VIDEO) {
                MediaFrame frame = FlvMediaParser.parseVideo(tag.body(), tag.timestamp(), 0);
                if (frame.config()) {
                    continue;
                }
                if (frame.payloadLength() == 0) {
                    endOfSequenceTags++; // ffmpeg closes the file with an AVC end-of-sequence tag
                    continue;
                }
                keyframes += frame.keyframe() ? 1 : 0;
                List<H264NalUnitType> types = new ArrayList<>();
                AnnexB.forEachAvccNal(frame.body(), frame.payloadOffset(), frame.payloadLength(), 4,
                        (data, offset, length) -> types.add(H264NalUnitType.ofHeader(data[offset])));
                idrNalUnits += (int) types.stream().filter(t -> t == H264NalUnitType.SLICE_IDR).count();
                assertTrue(types.stream().anyMatch(H264NalUnitType::isSlice), "a frame has a slice: " + types);
                assertTrue(frame.cts() >= 0 && frame.cts() <= 300, "x264 B-frame CTS: " + frame.cts());
            }
        }
        assertEquals(1, keyframes);
        assertEquals(1, endOfSequenceTags);
        assertEquals(1, idrNalUnits, "the FLV key frame flag matches the IDR slices");
    }

    private static FlvTag firstOf(FlvTagType type) throws CodecFormatException {
        return FlvStreamReaderTest.readAll(new FlvStreamReader(), FILE, FILE.length).stream()
                .filter(tag -> tag.type() == type)
                .findFirst()
                .orElseThrow(() -> new CodecFormatException("no " + type + " tag"));
    }

    private static long count(List<FlvTag> tags, FlvTagType type) {
        return tags.stream().filter(tag -> tag.type() == type).count();
    }
}
