package io.liveshard.node.load;

import java.util.Arrays;

/** A growing list of durations in microseconds, owned by one selector thread, merged by the main thread. */
final class LatencySamples {

    private long[] values = new long[256];
    private int count;

    void add(long micros) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = micros;
    }

    int count() {
        return count;
    }

    /** Every sample of every list, sorted. */
    static long[] sortedUnion(Iterable<LatencySamples> lists) {
        int total = 0;
        for (LatencySamples list : lists) {
            total += list.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (LatencySamples list : lists) {
            System.arraycopy(list.values, 0, all, at, list.count);
            at += list.count;
        }
        Arrays.sort(all);
        return all;
    }

    /** Nearest-rank percentile of sorted values, in milliseconds; NaN when there are none. */
    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000.0;
    }
}
