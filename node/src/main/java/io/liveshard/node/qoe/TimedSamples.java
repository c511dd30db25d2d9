package io.liveshard.node.qoe;

import java.util.Arrays;

/**
 * The latest values with the time each was recorded, in a fixed-size ring: percentiles over a recent window
 * without keeping every sample. When more samples arrive within the window than the ring holds, the oldest are
 * forgotten first, so percentiles describe the most recent ones. Not thread-safe.
 */
final class TimedSamples {

    private final double[] values;
    private final long[] nanos;
    private int next;
    private int size;

    TimedSamples(int capacity) {
        values = new double[capacity];
        nanos = new long[capacity];
    }

    void add(double value, long nowNanos) {
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
