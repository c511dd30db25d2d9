package io.liveshard.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopClockTest {

    private static void sleepAMillisecond() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(1);
    }

    @Test
    void oneReadingServesUpToSixteenStepsThenTheClockIsReadAgain() throws InterruptedException {
        LoopClock clock = new LoopClock();
        long first = clock.nanos();
        sleepAMillisecond();
        assertEquals(first, clock.nanos(), "uses alone are not steps");
        for (int step = 1; step < LoopClock.STEPS_PER_READING; step++) {
            clock.step();
        }
        sleepAMillisecond();
        assertEquals(first, clock.nanos(), "fifteen steps later the reading still serves");
        clock.step();
        long second = clock.nanos();
        assertTrue(second - first >= TimeUnit.MILLISECONDS.toNanos(2), "the sixteenth step reads the clock again");
    }

    @Test
    void aLoopThatSleptReadsTheClockAtItsNextUse() throws InterruptedException {
        LoopClock clock = new LoopClock();
        long first = clock.nanos();
        sleepAMillisecond();
        clock.expire();
        assertTrue(clock.nanos() - first >= TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Test
    void stepsWithoutUsesNeverLetAReadingGrowOlder() throws InterruptedException {
        LoopClock clock = new LoopClock();
        long first = clock.nanos();
        for (int step = 0; step < 1_000; step++) {
            clock.step();
        }
        sleepAMillisecond();
        assertTrue(clock.nanos() > first, "a thousand steps without a use: the next use reads the clock");
    }

    @Test
    void sampleGapsAreGeometricWithTheRightMean() {
        assertEquals(1, LoopClock.drainsToNextSample(1));
        long sum = 0;
        int samples = 100_000;
        int ones = 0;
        for (int i = 0; i < samples; i++) {
            int gap = LoopClock.drainsToNextSample(32);
            assertTrue(gap >= 1, "a gap of " + gap);
            sum += gap;
            ones += gap == 1 ? 1 : 0;
        }
        // Mean 32 (standard deviation of the mean 0.1); the next drain itself is recorded with probability 1/32.
        assertEquals(32.0, (double) sum / samples, 0.6);
        assertEquals(samples / 32.0, ones, 350, "gaps of one drain");
    }

    @Test
    void theLoopSamplesOneDrainInNAndEveryDrainAtOne() {
        LoopClock clock = new LoopClock();
        int drains = 320_000;
        int sampled = 0;
        for (int i = 0; i < drains; i++) {
            sampled += clock.sampleDrain(32) ? 1 : 0;
        }
        // 10,000 expected, standard deviation 99.
        assertEquals(drains / 32.0, sampled, 600, sampled + " of " + drains);
        for (int i = 0; i < 100; i++) {
            assertTrue(clock.sampleDrain(1), "a rate of one samples every drain");
        }
    }

    @Test
    void viewersOfDifferentRatesOnOneLoopEachGetTheirOwn() {
        LoopClock clock = new LoopClock();
        int drains = 640_000;
        int sparse = 0;
        int dense = 0;
        // A sparse viewer asks first, then the loop's draw gets denser for the other: neither rate may bend.
        for (int i = 0; i < drains; i++) {
            sparse += clock.sampleDrain(128) ? 1 : 0;
            dense += clock.sampleDrain(32) ? 1 : 0;
        }
        // 5,000 and 20,000 expected, standard deviations 70 and 140.
        assertEquals(drains / 128.0, sparse, 420, sparse + " of " + drains + " at 1/128");
        assertEquals(drains / 32.0, dense, 840, dense + " of " + drains + " at 1/32");
    }
}
