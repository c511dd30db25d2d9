package io.liveshard.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liveshard.protocol.media.MediaFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampRebaserTest {

    private static List<Long> rebase(TimestampRebaser rebaser, MediaFrame... frames) {
        return java.util.Arrays.stream(frames).map(rebaser::rebase).toList();
    }

    @Test
    void aViewerStartsAtZeroWithItsFirstMediaFrame() {
        TimestampRebaser rebaser = new TimestampRebaser();
        assertEquals(List.of(0L, 0L, 0L, 10L, 43L, 53L),
                rebase(rebaser, Frames.videoConfig(), Frames.audioConfig(), Frames.audio(3_600_000 - 10),
                        Frames.key(3_600_000), Frames.inter(3_600_033), Frames.audio(3_600_043)));
    }

    @Test
    void aNewClockAfterAMoveContinuesTheViewersTimestampsEitherWay() {
        TimestampRebaser rebaser = new TimestampRebaser();
        assertEquals(List.of(0L, 33L, 66L), rebase(rebaser, Frames.key(90_000), Frames.inter(90_033),
                Frames.inter(90_066)));
        // The copy on the new node started its own clock at 0: its config takes the last timestamp, and the viewer
        // goes on just after 66, not back to 0.
        assertEquals(List.of(66L, 67L, 100L, 110L), rebase(rebaser, Frames.videoConfig(), Frames.key(0),
                Frames.inter(33), Frames.audio(43)));
        // And a clock far ahead is brought back the same way.
        assertEquals(List.of(111L, 144L), rebase(rebaser, Frames.key(7_200_000), Frames.inter(7_200_033)));
    }

    @Test
    void aSmallStepBackOfANewClockIsANewTimelineToo() {
        TimestampRebaser rebaser = new TimestampRebaser();
        assertEquals(List.of(0L, 700L, 733L), rebase(rebaser, Frames.key(1_000), Frames.inter(1_700),
                Frames.inter(1_733)));
        assertEquals(List.of(734L, 767L), rebase(rebaser, Frames.key(0), Frames.inter(33)));
    }

    @Test
    void ordinaryGapsAndInterleavingAreKept() {
        TimestampRebaser rebaser = new TimestampRebaser();
        assertEquals(List.of(0L, 2_000L, 1_990L, 2_033L), rebase(rebaser, Frames.key(1_000), Frames.inter(3_000),
                Frames.audio(2_990), Frames.inter(3_033)));
    }
}
