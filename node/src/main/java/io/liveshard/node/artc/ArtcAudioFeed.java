package io.liveshard.node.artc;

import io.liveshard.protocol.rtp.RtpPacketizedFrame;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stream's Opus, packetized once and shared by its artc viewers: a ring of the latest {@link #CAPACITY} packets
 * that one writer (the stream's {@link ArtcAudioSource}) appends to and every session reads at its own position.
 * Appending wakes the sessions (each schedules its own drain, at most one at a time), so audio never waits on a
 * video frame, and a slow session is never waited for: one that falls a whole ring behind skips to the oldest
 * packet still held, and counts what it skipped.
 */
final class ArtcAudioFeed {

    /** Packets held: 64 × 20 ms, over a second, far more than a session's drain ever lags. */
    static final int CAPACITY = 64;
    private static final int MASK = CAPACITY - 1;

    private final RtpPacketizedFrame[] ring = new RtpPacketizedFrame[CAPACITY];
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Packets appended so far; written only by the source's thread, after the ring slot (publication order). */
    private volatile long appended;
    private volatile boolean failed;

    /** Adds a packet and wakes the sessions; from the source's thread only. */
    void append(RtpPacketizedFrame packet) {
        long position = appended;
        ring[(int) (position & MASK)] = packet;
        appended = position + 1;
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /** The position after the newest packet: where a session that joins now starts. */
    long end() {
        return appended;
    }

    /** The oldest position still held. */
    long start() {
        return Math.max(0, appended - CAPACITY);
    }

    /**
     * The packet at {@code position}, or null when it has been overwritten (the reader fell a ring behind) or is not
     * appended yet.
     */
    RtpPacketizedFrame at(long position) {
        if (position >= appended) {
            return null;
        }
        RtpPacketizedFrame packet = ring[(int) (position & MASK)];
        // Re-read after the slot: if the writer has since wrapped onto it, the slot may hold a newer packet.
        return appended - position <= CAPACITY - 1 ? packet : null;
    }

    void addListener(Runnable wakeUp) {
        listeners.add(wakeUp);
    }

    void removeListener(Runnable wakeUp) {
        listeners.remove(wakeUp);
    }

    /** The source stopped on an error: sessions keep their video, new ones are answered without audio. */
    void markFailed() {
        failed = true;
    }

    boolean failed() {
        return failed;
    }
}
