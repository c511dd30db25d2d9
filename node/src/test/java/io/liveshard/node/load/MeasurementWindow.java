package io.liveshard.node.load;

/**
 * The measured interval, in {@link System#nanoTime()}: set by the main thread, read by the selector threads for
 * every read, so that only bytes and frames that arrive inside it are counted.
 */
final class MeasurementWindow {

    private volatile long startNanos = Long.MAX_VALUE;
    private volatile long endNanos = Long.MAX_VALUE;

    void open(long start, long end) {
        endNanos = end;
        startNanos = start;
    }

    boolean contains(long nanos) {
        return nanos >= startNanos && nanos < endNanos;
    }
}
