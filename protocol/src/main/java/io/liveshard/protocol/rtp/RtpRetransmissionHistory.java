package io.liveshard.protocol.rtp;

import java.util.Arrays;

/**
 * What a viewer was sent recently, by sequence number, so that a NACK (RFC 4585 6.2.1) can be answered: a ring
 * indexed by the low bits of the sequence number that keeps references to the shared {@link RtpPacketizedFrame}s
 * (never copies). Recording a packet evicts the one {@code capacity} sequence numbers before it, the oldest; lookups
 * refuse packets older than the configured age or outside the window behind the newest, so wrapping sequence numbers
 * never match a stale entry.
 *
 * <p>Lookups return a slot, then {@link #frameAt} and {@link #packetIndexAt} read it, so answering a NACK allocates
 * nothing. One instance per viewer and track, used by one thread at a time.
 */
public final class RtpRetransmissionHistory {

    private final int mask;
    private final long maxAgeNanos;
    private final RtpPacketizedFrame[] frames;
    private final int[] packetIndexes;
    private final int[] sequenceNumbers;
    private final long[] sentNanos;

    private boolean empty = true;
    private int newest;

    public RtpRetransmissionHistory(RtpRetransmissionHistoryConfig config) {
        int capacity = config.capacity();
        this.mask = capacity - 1;
        this.maxAgeNanos = config.maxAge().toNanos();
        this.frames = new RtpPacketizedFrame[capacity];
        this.packetIndexes = new int[capacity];
        this.sequenceNumbers = new int[capacity];
        this.sentNanos = new long[capacity];
    }

    /** Remembers that packet {@code packetIndex} of {@code frame} went out as {@code sequenceNumber}. */
    public void record(int sequenceNumber, RtpPacketizedFrame frame, int packetIndex, long nowNanos) {
        int slot = sequenceNumber & mask;
        frames[slot] = frame;
        packetIndexes[slot] = packetIndex;
        sequenceNumbers[slot] = sequenceNumber & 0xFFFF;
        sentNanos[slot] = nowNanos;
        if (empty || RtpSequenceNumbers.isNewer(sequenceNumber, newest)) {
            newest = sequenceNumber & 0xFFFF;
            empty = false;
        }
    }

    /**
     * The slot holding {@code sequenceNumber}, or -1 when it was never recorded, has been evicted, or is older than
     * the maximum age at {@code nowNanos}.
     */
    public int find(int sequenceNumber, long nowNanos) {
        if (empty) {
            return -1;
        }
        int behind = RtpSequenceNumbers.distance(sequenceNumber, newest);
        if (behind < 0 || behind > mask) {
            return -1;
        }
        int slot = sequenceNumber & mask;
        if (frames[slot] == null || sequenceNumbers[slot] != (sequenceNumber & 0xFFFF)
                || nowNanos - sentNanos[slot] > maxAgeNanos) {
            return -1;
        }
        return slot;
    }

    /** The frame of a slot {@link #find} returned. */
    public RtpPacketizedFrame frameAt(int slot) {
        return frames[slot];
    }

    /** The packet index within {@link #frameAt(int)} of a slot {@link #find} returned. */
    public int packetIndexAt(int slot) {
        return packetIndexes[slot];
    }

    /** Forgets everything, releasing the frames, e.g. when the viewer leaves. */
    public void clear() {
        Arrays.fill(frames, null);
        empty = true;
    }
}
