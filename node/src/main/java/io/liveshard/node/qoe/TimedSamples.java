package io.liveshard.node.qoe;

import java.util.Arrays;

/**
 * The latest values with the time each was recorded, in a fixed-size ring: percentiles over a recent window
 * without keeping every sample. When more samples arrive within the window than the ring holds, the oldest are
 * forgotten first, so percentiles describe the most recent ones. The ring starts small and grows to its capacity
 * as samples come, so a stream with few players costs little. Not thread-safe.
 */
final class TimedSamples {

    private static final int INITIAL_CAPACITY = 64;

    private final int capacity;
    private double[] values;
    private long[] nanos;
    private int next;
    private int size;

    TimedSamples(int capacity) {
        this.capacity = capacity;
        values = new double[Math.min(capacity, INITIAL_CAPACITY)];
        nanos = new long[values.length];
    }

    void add(double value, long nowNanos) {
        if (size == values.length && values.length < capacity) {
            // Not wrapped yet (it wraps only at capacity), so the samples are in order and the next goes after them.
            values = Arrays.copyOf(values, Math.min(capacity, values.length * 2));
            nanos = Arrays.copyOf(nanos, values.length);
            next = size;
        }
        values[next] = value;
        nanos[next] = nowNanos;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    /** The samples recorded at or after {@code sinceNanos}, sorted ascending. */
    double[] sortedSince(long sinceNanos) {
        double[] recent = new double[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (nanos[i] - sinceNanos >= 0) {
                recent[count++] = values[i];
            }
        }
        double[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The nearest-rank percentile ({@code p} in 0..1) of sorted samples; NaN when there are none. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
