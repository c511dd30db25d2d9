package io.liveshard.node.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.fmp4.Fmp4Track;
import io.liveshard.protocol.fmp4.Mp4Box;
import io.liveshard.protocol.fmp4.Mp4BoxReader;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The LL-HLS segmenter on real H.264/AAC bodies from the protocol module's FLV fixture, re-timed to 30 fps. */
class LlHlsSegmenterTest {

    private static final StreamKey KEY = new StreamKey("live", "ll");
    private static final LlHlsSettings SETTINGS = new LlHlsSettings(Duration.ofSeconds(1), Duration.ofMillis(200), 3,
            2, Duration.ofSeconds(3));

    private static FixtureFrames fixture;

    @BeforeAll
    static void readFixture() throws Exception {
        fixture = FixtureFrames.read();
    }

    /** 30 fps video with a keyframe every second from {@code startMillis}, AAC every 23 ms. */
    private static void feed(LlHlsSegmenter segmenter, long startMillis, int frames) {
        long audioAt = startMillis;
        for (int i = 0; i < frames; i++) {
            long dts = startMillis + Math.round(i * 1000.0 / 30);
            segmenter.accept((i % 30 == 0 ? fixture.keyframe() : fixture.interFrame()).withDts(dts));
            while (audioAt <= dts) {
                segmenter.accept(fixture.audioFrame().withDts(audioAt));
                audioAt += 23;
            }
        }
    }

    private static LlHlsSegmenter started() {
        LlHlsSegmenter segmenter = new LlHlsSegmenter(KEY, SETTINGS, 0, false);
        segmenter.accept(fixture.videoConfig());
        segmenter.accept(fixture.audioConfig());
        return segmenter;
    }

    @Test
    void partsStayWithinThePartTargetAndSegmentsAreTheirParts() throws Exception {
        LlHlsSegmenter segmenter = started();
        feed(segmenter, 0, 95);
        LlHlsWindow window = segmenter.window();
        assertEquals(3, window.segments().size(), "three whole seconds finished");
        for (LlHlsSegment segment : window.segments()) {
            assertEquals(1000, segment.durationMillis(), 1);
            assertEquals(5, segment.parts().size(), "1 s in parts of at most 200 ms");
            assertTrue(segment.parts().get(0).independent(), "a segment starts with a keyframe");
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (LlHlsPart part : segment.parts()) {
                assertTrue(part.durationMillis() <= 200, part.durationMillis() + " ms part");
                assertEquals(List.of("moof", "mdat"), Mp4BoxReader.read(part.bytes()).stream().map(Mp4Box::type)
                        .toList());
                joined.writeBytes(part.bytes());
            }
            assertArrayEquals(joined.toByteArray(), segment.bytes());
            assertFalse(segment.parts().get(1).independent());
        }
        assertEquals(3, window.edgeSequence());
        assertTrue(window.playable());
        assertTrue(window.inits().containsKey(0));
    }

    @Test
    void everyPartsAudioReachesTheEndOfItsVideo() throws Exception {
        // A player's buffered range is the intersection of the tracks: a part whose audio stopped short of its video
        // would leave the player looking for more media inside a part it already has.
        LlHlsSegmenter segmenter = started();
        feed(segmenter, 0, 95);
        double audioFrameSeconds = 0.023;
        int audioTimescale = Fmp4Track.audio(2, fixture.audioConfig()).timescale();
        for (LlHlsSegment segment : segmenter.window().segments()) {
            for (LlHlsPart part : segment.parts()) {
                Mp4Box moof = Mp4BoxReader.read(part.bytes()).get(0);
                double videoEnd = trackEnd(moof, 1, Fmp4Track.VIDEO_TIMESCALE);
                double audioEnd = trackEnd(moof, 2, audioTimescale);
                String where = "part " + part.sequence() + "." + part.index() + ": video ends at " + videoEnd
                        + " s, audio at " + audioEnd + " s";
                assertTrue(audioEnd >= videoEnd - 0.001, where);
                assertTrue(audioEnd < videoEnd + audioFrameSeconds, where);
            }
        }
    }

    /**
     * ffmpeg's FLV muxer ends a stream with an AVC end-of-sequence tag, a video tag without a picture (so does a
     * publisher that reconnects within the grace period, at its first connection's end). It used to become a video
     * sample of 0 bytes in the last part, which made ffmpeg refuse the segment ("error reading header").
     */
    @Test
    void aVideoTagWithoutAPictureBecomesNoSample() throws Exception {
        LlHlsSegmenter segmenter = started();
        feed(segmenter, 0, 50);
        MediaFrame endOfSequence = io.liveshard.protocol.flv.FlvMediaParser.parseVideo(
                new byte[] {0x17, 0x02, 0, 0, 0}, 1700, System.nanoTime());
        assertEquals(0, endOfSequence.payloadLength());
        segmenter.accept(endOfSequence);
        segmenter.end();
        int parts = 0;
        for (LlHlsSegment segment : segmenter.window().segments()) {
            for (LlHlsPart part : segment.parts()) {
                for (int size : videoSampleSizes(Mp4BoxReader.read(part.bytes()).get(0))) {
                    assertTrue(size > 0, "part " + part.sequence() + "." + part.index() + " has a video sample of "
                            + size + " bytes");
                }
                parts++;
            }
        }
        assertTrue(parts >= 8, parts + " parts");
    }

    /** The sizes of the video run's samples in a movie fragment. */
    private static List<Integer> videoSampleSizes(Mp4Box moof) throws Exception {
        return run(moof, 1).samples().stream().map(TrunSample::size).toList();
    }

    /** Where a track's run in a movie fragment ends, in seconds: its tfdt plus its samples' durations. */
    private static double trackEnd(Mp4Box moof, int trackId, int timescale) throws Exception {
        Run run = run(moof, trackId);
        long end = run.baseDecodeTime();
        for (TrunSample sample : run.samples()) {
            end += Math.max(0, sample.duration());
        }
        return (double) end / timescale;
    }

    /** A sample of a track run; -1 for a field the run does not carry. */
    private record TrunSample(long duration, int size) {}

    private record Run(long baseDecodeTime, List<TrunSample> samples) {}

    /** A track's run in a movie fragment: its tfdt and its samples (ISO/IEC 14496-12 8.8.8). */
    private static Run run(Mp4Box moof, int trackId) throws Exception {
        for (Mp4Box traf : moof.children("traf")) {
            if (fullBoxFields(traf.child("tfhd")).getInt() != trackId) {
                continue;
            }
            long baseDecodeTime = fullBoxFields(traf.child("tfdt")).getLong();
            Mp4Box trunBox = traf.child("trun");
            int flags = trunBox.flags();
            ByteBuffer trun = fullBoxFields(trunBox);
            int count = trun.getInt();
            skipIf(trun, flags, 0x000001, 4);
            skipIf(trun, flags, 0x000004, 4);
            List<TrunSample> samples = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long duration = (flags & 0x000100) != 0 ? Integer.toUnsignedLong(trun.getInt()) : -1;
                int size = (flags & 0x000200) != 0 ? trun.getInt() : -1;
                skipIf(trun, flags, 0x000400, 4);
                skipIf(trun, flags, 0x000800, 4);
                samples.add(new TrunSample(duration, size));
            }
            return new Run(baseDecodeTime, samples);
        }
        throw new AssertionError("no run of track " + trackId);
    }

    private static ByteBuffer fullBoxFields(Mp4Box box) {
        return ByteBuffer.wrap(box.data(), box.payloadOffset() + 4, box.payloadLength() - 4);
    }

    private static void skipIf(ByteBuffer fields, int flags, int flag, int bytes) {
        if ((flags & flag) != 0) {
            fields.position(fields.position() + bytes);
        }
    }

    @Test
    void blockingWaitersAreAnsweredWhenTheirPartAppears() throws Exception {
        LlHlsSegmenter segmenter = started();
        feed(segmenter, 0, 31);
        var waiting = segmenter.await(w -> w.shows(1, 2), Duration.ofSeconds(5));
        assertFalse(waiting.isDone());
        feed(segmenter, 1033, 12);
        assertFalse(waiting.isDone(), "media up to 1.4 s makes parts 1.0 and 1.1 only");
        feed(segmenter, 1433, 8);
        assertTrue(waiting.isDone(), "part 1.2 (1.4 s to 1.6 s) exists once the frame at 1.6 s arrived");
        assertTrue(waiting.get().part(1, 2).isPresent());
        assertNull(segmenter.await(w -> w.shows(9, 0), Duration.ofMillis(50)).get(), "times out with null");
    }

    @Test
    void aNewConfigurationStartsANewInitAndADiscontinuity() {
        LlHlsSegmenter segmenter = started();
        feed(segmenter, 0, 61);
        segmenter.accept(fixture.videoConfig().withDts(2100));
        segmenter.accept(fixture.audioConfig().withDts(2100));
        feed(segmenter, 2133, 61);
        List<LlHlsSegment> segments = segmenter.window().segments();
        LlHlsSegment afterReconnect = segments.stream().filter(LlHlsSegment::discontinuity).findFirst().orElseThrow();
        assertEquals(0, afterReconnect.initVersion(), "same parameters, same init segment");
        String playlist = segmenter.window().playlist("ll/", SETTINGS);
        assertTrue(playlist.contains("#EXT-X-DISCONTINUITY\n"), playlist);
    }

    @Test
    void endingClosesEverything() {
        LlHlsSegmenter segmenter = started();
        feed(segmenter, 0, 40);
        segmenter.end();
        LlHlsWindow window = segmenter.window();
        assertTrue(window.ended());
        assertEquals(2, window.segments().size());
        assertTrue(window.shows(99, 0), "an ended stream answers every blocking request");
        assertTrue(window.playlist("ll/", SETTINGS).endsWith("#EXT-X-ENDLIST\n"));
    }

    @Test
    void nextPartsMayBeAwaitedOthersNot() {
        LlHlsSegmenter segmenter = started();
        feed(segmenter, 0, 40);
        LlHlsWindow window = segmenter.window();
        int made = window.edgeParts().size();
        assertTrue(window.isNextPart(window.edgeSequence(), made));
        assertTrue(window.isNextPart(window.edgeSequence() + 1, 0));
        assertFalse(window.isNextPart(window.edgeSequence(), made + 1));
        assertFalse(window.isNextPart(window.edgeSequence() + 5, 0));
        List<Long> sequences = new ArrayList<>();
        window.segments().forEach(s -> sequences.add(s.sequence()));
        assertEquals(List.of(0L), sequences);
    }
}
