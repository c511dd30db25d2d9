package io.liveshard.node.qoe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TimedSamplesTest {

    @Test
    void growsToItsCapacityThenForgetsTheOldestFirst() {
        TimedSamples samples = new TimedSamples(200);
        for (int i = 0; i < 150; i++) {
            samples.add(i, i);
        }
        // Grown past its first ring (64) and the next (128) without losing or reordering a sample.
        assertArrayEquals(IntStream.range(0, 150).asDoubleStream().toArray(), samples.sortedSince(0));
        for (int i = 150; i < 450; i++) {
            samples.add(i, i);
        }
        double[] kept = samples.sortedSince(0);
        assertEquals(200, kept.length, "bounded by its capacity");
        assertArrayEquals(IntStream.range(250, 450).asDoubleStream().toArray(), kept, "the newest 200");
        assertArrayEquals(IntStream.range(400, 450).asDoubleStream().toArray(), samples.sortedSince(400));
    }

    @Test
    void aSmallCapacityIsNeverExceeded() {
        TimedSamples samples = new TimedSamples(10);
        for (int i = 0; i < 25; i++) {
            samples.add(i, i);
        }
        assertArrayEquals(IntStream.range(15, 25).asDoubleStream().toArray(), samples.sortedSince(0));
    }
}
