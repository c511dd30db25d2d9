package io.liveshard.node.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The segmenter on real H.264/AAC bodies from the protocol module's ffmpeg-made FLV fixture, re-timed into a
 * longer stream: one keyframe a second, 15 fps, audio in between.
 */
class HlsSegmenterTest {

    private static final StreamKey KEY = new StreamKey("live", "seg");
    private static final HlsSettings SETTINGS = new HlsSettings(Duration.ofSeconds(2), 3, Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5));

    private static FixtureFrames fixture;

    @BeforeAll
    static void readFixture() throws Exception {
        fixture = FixtureFrames.read();
    }

    /** {@code seconds} of stream from {@code startMillis}: a keyframe every second, 15 fps, audio every 23 ms. */
    private static List<MediaFrame> stream(long startMillis, int seconds) {
        List<MediaFrame> frames = new ArrayList<>();
        long audioAt = startMillis;
        for (int i = 0; i < seconds * 15; i++) {
            long dts = startMillis + i * 1000L / 15;
            frames.add((i % 15 == 0 ? fixture.keyframe() : fixture.interFrame()).withDts(dts));
            while (audioAt <= dts) {
                frames.add(fixture.audioFrame().withDts(audioAt));
                audioAt += 23;
            }
        }
        return frames;
    }

    @Test
    void cutsAtKeyframesAfterTheTargetAndKeepsAWindow() {
        HlsSegmenter segmenter = new HlsSegmenter(KEY, SETTINGS, 0, false);
        segmenter.accept(fixture.videoConfig());
        segmenter.accept(fixture.audioConfig());
        stream(0, 11).forEach(segmenter::accept);
        HlsWindow window = segmenter.window();
        assertEquals(3, window.segments().size(), "the window holds the last 3 of 5 finished segments");
        assertEquals(List.of(2L, 3L, 4L), window.segments().stream().map(HlsSegment::sequence).toList());
        for (HlsSegment segment : window.segments()) {
            assertEquals(2000, segment.durationMillis(), "cut at the keyframe 2 s after the start");
            assertEquals(0x47, segment.bytes()[0] & 0xFF);
            assertEquals(0, segment.bytes().length % 188);
            assertFalse(segment.discontinuity());
        }
        assertFalse(window.ended());
        assertTrue(window.segment(1).isEmpty(), "segment 1 left the window");
        assertTrue(window.segment(4).isPresent());
    }

    @Test
    void framesBeforeTheFirstKeyframeAreSkipped() {
        HlsSegmenter segmenter = new HlsSegmenter(KEY, SETTINGS, 0, false);
        segmenter.accept(fixture.videoConfig());
        segmenter.accept(fixture.audioConfig());
        segmenter.accept(fixture.interFrame().withDts(0));
        segmenter.accept(fixture.audioFrame().withDts(10));
        stream(500, 5).forEach(segmenter::accept);
        HlsSegment first = segmenter.window().segments().get(0);
        assertEquals(2000, first.durationMillis(), "starts at the keyframe at 500 ms, not at 0");
    }

    @Test
    void aNewPublisherStartsADiscontinuityThatIsCountedWhenItSlidesOut() {
        HlsSegmenter segmenter = new HlsSegmenter(KEY, SETTINGS, 0, false);
        segmenter.accept(fixture.videoConfig());
        segmenter.accept(fixture.audioConfig());
        stream(0, 5).forEach(segmenter::accept);
        segmenter.accept(fixture.videoConfig().withDts(5000));
        segmenter.accept(fixture.audioConfig().withDts(5000));
        stream(5040, 3).forEach(segmenter::accept);
        HlsSegment afterReconnect = segmenter.window().segments().stream().filter(HlsSegment::discontinuity)
                .findFirst().orElseThrow();
        assertTrue(afterReconnect.durationMillis() >= 2000);
        stream(8040, 9).forEach(segmenter::accept);
        assertTrue(segmenter.window().segments().stream().noneMatch(HlsSegment::discontinuity));
        assertEquals(1, segmenter.window().discontinuitySequence());
    }

    @Test
    void endingClosesTheOpenSegmentAndTheWindow() {
        HlsSegmenter segmenter = new HlsSegmenter(KEY, SETTINGS, 40, true);
        segmenter.accept(fixture.videoConfig());
        segmenter.accept(fixture.audioConfig());
        stream(0, 3).forEach(segmenter::accept);
        segmenter.end();
        HlsWindow window = segmenter.window();
        assertTrue(window.ended());
        assertEquals(List.of(40L, 41L), window.segments().stream().map(HlsSegment::sequence).toList());
        assertTrue(window.segments().get(0).discontinuity(), "continues an earlier output after a discontinuity");
        assertTrue(window.playlist("seg/", 2).endsWith("#EXT-X-ENDLIST\n"));
    }

    @Test
    void audioOnlyStreamsAreCutByAudioTime() {
        HlsSegmenter segmenter = new HlsSegmenter(KEY, SETTINGS, 0, false);
        segmenter.accept(fixture.audioConfig());
        for (long t = 0; t < 7000; t += 23) {
            segmenter.accept(fixture.audioFrame().withDts(t));
        }
        List<HlsSegment> segments = segmenter.window().segments();
        assertEquals(3, segments.size());
        segments.forEach(s -> assertTrue(s.durationMillis() >= 2000 && s.durationMillis() < 2023, s.toString()));
    }
}
