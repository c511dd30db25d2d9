package io.liveshard.node.load;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One simulated viewer on a {@link SelectorLoop}: its protocol state and what it counted. Everything but the
 * counters handed to the main thread is touched only by its selector thread; the main thread reads the rest after
 * that thread has stopped.
 *
 * <p>Jitter of a video frame is its arrival time minus when it would have arrived had every frame been exactly as
 * late as the first one of the window: {@code arrival - (firstArrival + (timestamp - firstTimestamp))}.
 */
abstract class ViewerConnection {

    final String protocol;
    final int id;
    private final MeasurementWindow window;
    private final AtomicInteger receivingViewers;
    private final ArrayDeque<ByteBuffer> outgoing = new ArrayDeque<>();

    SocketChannel channel;
    private boolean receiving;
    private volatile String failure;
    private volatile boolean closed;
    private long bytesInWindow;
    private long mediaFramesInWindow;
    private long videoFramesInWindow;
    private long referenceArrivalNanos = -1;
    private long referenceTimestampMillis;
    private int[] jitterMicros = new int[256];
    private int jitterCount;

    ViewerConnection(String protocol, int id, MeasurementWindow window, AtomicInteger receivingViewers) {
        this.protocol = protocol;
        this.id = id;
        this.window = window;
        this.receivingViewers = receivingViewers;
    }

    /** The TCP connection is up: send the request or handshake. */
    abstract void onConnected();

    /** Bytes from the node, received at {@code nowNanos}. */
    abstract void onBytes(ByteBuffer in, long nowNanos);

    final void countBytes(int n, long nowNanos) {
        if (window.contains(nowNanos)) {
            bytesInWindow += n;
        }
    }

    /**
     * An audio or video frame (not a codec config, not metadata) arrived.
     *
     * @param video           whether it is a video frame
     * @param timestampMillis its timestamp on the wire (RTMP message or FLV tag)
     */
    final void onMediaFrame(boolean video, long timestampMillis, long nowNanos) {
        if (video && !receiving) {
            receiving = true;
            receivingViewers.incrementAndGet();
        }
        if (!window.contains(nowNanos)) {
            return;
        }
        mediaFramesInWindow++;
        if (!video) {
            return;
        }
        videoFramesInWindow++;
        if (referenceArrivalNanos < 0) {
            referenceArrivalNanos = nowNanos;
            referenceTimestampMillis = timestampMillis;
        }
        long expected = referenceArrivalNanos + (timestampMillis - referenceTimestampMillis) * 1_000_000;
        if (jitterCount == jitterMicros.length) {
            jitterMicros = Arrays.copyOf(jitterMicros, jitterCount * 2);
        }
        jitterMicros[jitterCount++] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE,
                (nowNanos - expected) / 1000));
    }

    final void send(byte[] bytes) {
        outgoing.add(ByteBuffer.wrap(bytes));
    }

    final boolean hasOutgoing() {
        return !outgoing.isEmpty();
    }

    /** Writes what the socket takes now; the rest waits for the next writable event. */
    final void flush() throws java.io.IOException {
        while (!outgoing.isEmpty()) {
            ByteBuffer head = outgoing.peek();
            channel.write(head);
            if (head.hasRemaining()) {
                return;
            }
            outgoing.poll();
        }
    }

    final void fail(String reason) {
        if (failure == null && !closed) {
            failure = reason;
        }
        closed = true;
    }

    /** Closed by the tool at the end (not a failure). */
    final void markClosed() {
        closed = true;
    }

    final boolean isClosed() {
        return closed;
    }

    final String failure() {
        return failure;
    }

    final boolean receiving() {
        return receiving;
    }

    final long bytesInWindow() {
        return bytesInWindow;
    }

    final long mediaFramesInWindow() {
        return mediaFramesInWindow;
    }

    final long videoFramesInWindow() {
        return videoFramesInWindow;
    }

    /** Jitter of every video frame in the window, minus the smallest one, in microseconds. */
    final int[] jitterAboveMinimumMicros() {
        int[] values = Arrays.copyOf(jitterMicros, jitterCount);
        int min = Integer.MAX_VALUE;
        for (int value : values) {
            min = Math.min(min, value);
        }
        for (int i = 0; i < values.length; i++) {
            values[i] -= min;
        }
        return values;
    }
}
