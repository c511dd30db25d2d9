package io.liveshard.protocol.rtp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One media frame as RTP payloads, built once per stream and shared read-only by every viewer. A payload is a slice
 * of the frame's own body (or of a parameter set, or of a STAP-A the packetizer assembled from small NAL units),
 * optionally preceded by a two-byte prefix (the FU indicator and FU header of an H.264 fragment): nothing is copied
 * per viewer here, and a viewer copies each payload once, straight into its send buffer behind its own RTP header
 * ({@link RtpPacketWriter}).
 *
 * <p>Immutable after construction, so safe to publish to the threads that serve viewers.
 */
public final class RtpPacketizedFrame {

    private static final byte HAS_PREFIX = 1;
    private static final byte MARKER = 2;

    private final long timestamp;
    private final boolean keyframe;
    private final long ingestNanos;
    private final byte[][] sources;
    private final int[] offsets;
    private final int[] lengths;
    private final short[] prefixes;
    private final byte[] flags;

    private RtpPacketizedFrame(Builder builder) {
        int count = builder.count;
        this.timestamp = builder.timestamp;
        this.keyframe = builder.keyframe;
        this.ingestNanos = builder.ingestNanos;
        this.sources = Arrays.copyOf(builder.sources, count);
        this.offsets = Arrays.copyOf(builder.offsets, count);
        this.lengths = Arrays.copyOf(builder.lengths, count);
        this.prefixes = Arrays.copyOf(builder.prefixes, count);
        this.flags = Arrays.copyOf(builder.flags, count);
    }

    /** How many RTP packets the frame needs; 0 when nothing in it is worth sending. */
    public int packetCount() {
        return flags.length;
    }

    /** The 32-bit RTP timestamp of every packet of the frame, before any per-viewer offset. */
    public long timestamp() {
        return timestamp;
    }

    /** True for a video frame a decoder can start from. */
    public boolean keyframe() {
        return keyframe;
    }

    /** The source frame's ingest time ({@link System#nanoTime()}), for send-minus-ingest latency. */
    public long ingestNanos() {
        return ingestNanos;
    }

    /** The RTP marker bit of packet {@code index}. */
    public boolean marker(int index) {
        return (flags[index] & MARKER) != 0;
    }

    /** The payload length of packet {@code index}. */
    public int payloadLength(int index) {
        return ((flags[index] & HAS_PREFIX) != 0 ? 2 : 0) + lengths[index];
    }

    /** The sum of all payload lengths: what the frame adds to a sender report's octet count. */
    public long totalPayloadLength() {
        long total = 0;
        for (int i = 0; i < flags.length; i++) {
            total += payloadLength(i);
        }
        return total;
    }

    /** Copies the payload of packet {@code index} to {@code out} at {@code offset}; returns its length. */
    public int copyPayload(int index, byte[] out, int offset) {
        int length = payloadLength(index);
        Objects.checkFromIndexSize(offset, length, out.length);
        int position = offset;
        if ((flags[index] & HAS_PREFIX) != 0) {
            out[position] = (byte) (prefixes[index] >>> 8);
            out[position + 1] = (byte) prefixes[index];
            position += 2;
        }
        System.arraycopy(sources[index], offsets[index], out, position, lengths[index]);
        return length;
    }

    /** Copies the payload of packet {@code index} to {@code out} at its position (which advances); returns its size. */
    public int copyPayload(int index, ByteBuffer out) {
        if ((flags[index] & HAS_PREFIX) != 0) {
            out.put((byte) (prefixes[index] >>> 8)); // byte by byte: network order whatever out.order() is
            out.put((byte) prefixes[index]);
        }
        out.put(sources[index], offsets[index], lengths[index]);
        return payloadLength(index);
    }

    /** A copy of the payload of packet {@code index}: for tests and diagnostics, never the send path. */
    public byte[] payload(int index) {
        byte[] copy = new byte[payloadLength(index)];
        copyPayload(index, copy, 0);
        return copy;
    }

    @Override
    public String toString() {
        return "RtpPacketizedFrame[timestamp=" + timestamp + (keyframe ? " key" : "") + " packets=" + flags.length
                + " bytes=" + totalPayloadLength() + "]";
    }

    /**
     * Collects the packets of one frame. A packetizer keeps one and reuses it for every frame, so only the finished
     * frame's exact-size arrays are allocated.
     */
    static final class Builder {

        private static final int INITIAL_CAPACITY = 16;

        private long timestamp;
        private boolean keyframe;
        private long ingestNanos;
        private int count;
        private byte[][] sources = new byte[INITIAL_CAPACITY][];
        private int[] offsets = new int[INITIAL_CAPACITY];
        private int[] lengths = new int[INITIAL_CAPACITY];
        private short[] prefixes = new short[INITIAL_CAPACITY];
        private byte[] flags = new byte[INITIAL_CAPACITY];

        Builder start(long timestamp, boolean keyframe, long ingestNanos) {
            Arrays.fill(sources, 0, count, null); // let the previous frame's bodies be collected
            this.timestamp = timestamp;
            this.keyframe = keyframe;
            this.ingestNanos = ingestNanos;
            this.count = 0;
            return this;
        }

        /** A packet whose payload is {@code source[offset, offset + length)}. */
        void add(byte[] source, int offset, int length) {
            add(source, offset, length, (byte) 0, (short) 0);
        }

        /** A packet whose payload is the two bytes of {@code prefix}, then {@code source[offset, offset + length)}. */
        void addWithPrefix(int prefix, byte[] source, int offset, int length) {
            add(source, offset, length, HAS_PREFIX, (short) prefix);
        }

        /** Sets the marker bit on the last packet added, if any. */
        void markLast() {
            if (count > 0) {
                flags[count - 1] |= MARKER;
            }
        }

        RtpPacketizedFrame build() {
            RtpPacketizedFrame frame = new RtpPacketizedFrame(this);
            Arrays.fill(sources, 0, count, null);
            count = 0;
            return frame;
        }

        private void add(byte[] source, int offset, int length, byte flag, short prefix) {
            if (count == flags.length) {
                int capacity = count * 2;
                sources = Arrays.copyOf(sources, capacity);
                offsets = Arrays.copyOf(offsets, capacity);
                lengths = Arrays.copyOf(lengths, capacity);
                prefixes = Arrays.copyOf(prefixes, capacity);
                flags = Arrays.copyOf(flags, capacity);
            }
            sources[count] = source;
            offsets[count] = offset;
            lengths[count] = length;
            prefixes[count] = prefix;
            flags[count] = flag;
            count++;
        }
    }
}
