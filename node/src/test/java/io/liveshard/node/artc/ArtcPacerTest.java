package io.liveshard.node.artc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The catch-up pacer's token bucket, on explicit clocks. */
class ArtcPacerTest {

    private static final long MS = 1_000_000L;
    /** 8 Mbit/s: one byte per microsecond, so waits are easy to read. */
    private static final long BITRATE = 8_000_000L;

    @Test
    void theBurstGoesAtOnceAndDebtIsRepaidAtTheBitrate() {
        ArtcPacer pacer = new ArtcPacer(BITRATE, 10_000, 0);
        assertEquals(0, pacer.waitNanos(0));
        pacer.spent(10_000);
        assertEquals(0, pacer.waitNanos(0), "an empty bucket is not in debt: the next frame may still go");
        pacer.spent(5_000);
        assertEquals(5 * MS, pacer.waitNanos(0), "5,000 bytes of debt at one byte per microsecond");
        assertEquals(2 * MS, pacer.waitNanos(3 * MS));
        assertEquals(0, pacer.waitNanos(5 * MS));
    }

    @Test
    void idleTimeRefillsNoMoreThanTheBurst() {
        ArtcPacer pacer = new ArtcPacer(BITRATE, 10_000, 0);
        pacer.spent(10_000);
        assertEquals(0, pacer.waitNanos(1_000 * MS));
        pacer.spent(10_000);
        pacer.spent(1_000);
        assertEquals(1 * MS, pacer.waitNanos(1_000 * MS), "a second of silence saved only the burst");
    }

    @Test
    void aStreamBelowTheBitrateNeverWaits() {
        // 1 Mbit/s of 4,166-byte frames at 30 fps, with a 40 kB keyframe every 60 frames, against 8 Mbit/s.
        ArtcPacer pacer = new ArtcPacer(BITRATE, 64 * 1024, 0);
        long frameNanos = 1_000_000_000L / 30;
        for (int i = 0; i < 600; i++) {
            long now = i * frameNanos;
            assertEquals(0, pacer.waitNanos(now), "frame " + i);
            pacer.spent(i % 60 == 0 ? 40_000 : 4_166);
        }
    }

    @Test
    void aBacklogGoesOutNoFasterThanTheBitrate() {
        // A 2 s GOP of a 4 Mbit/s stream (1 MB): after the burst, the rest takes (1 MB - burst) / 1 MB/s.
        ArtcPacer pacer = new ArtcPacer(BITRATE, 100_000, 0);
        long now = 0;
        int sent = 0;
        while (sent < 1_000_000) {
            long wait = pacer.waitNanos(now);
            if (wait > 0) {
                now += wait;
                continue;
            }
            pacer.spent(10_000);
            sent += 10_000;
        }
        assertTrue(now >= 880 * MS && now <= 900 * MS, "1 MB after a 100 kB burst at 1 MB/s took " + now / MS
                + " ms");
    }
}
