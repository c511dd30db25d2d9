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
}
