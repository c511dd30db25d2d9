package io.liveshard.protocol.rtp;

/**
 * Arithmetic on 16-bit RTP sequence numbers, which wrap from 65535 to 0 (RFC 3550 5.1). Two numbers are compared by
 * the shorter way round the circle, as RFC 3550 A.1 and RFC 1982 (serial number arithmetic) do: 2 is after 65530.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.1">RFC 3550, A.1</a>
 */
public final class RtpSequenceNumbers {

    /** Sequence numbers are 16 bits (RFC 3550 5.1). */
    public static final int MODULUS = 1 << 16;

    private static final int MASK = MODULUS - 1;

    private RtpSequenceNumbers() {
    }

    /** The sequence number after {@code sequenceNumber}, wrapping 65535 to 0. */
    public static int next(int sequenceNumber) {
        return (sequenceNumber + 1) & MASK;
    }

    /** {@code sequenceNumber + delta}, wrapped into 0..65535; delta may be negative. */
    public static int add(int sequenceNumber, int delta) {
        return (sequenceNumber + delta) & MASK;
    }

    /**
     * How far {@code to} is after {@code from}, in -32768..32767: positive when {@code to} is newer. Exactly half
     * the circle apart is ambiguous; it counts as -32768 (older), like libwebrtc's {@code IsNewerSequenceNumber}.
     */
    public static int distance(int from, int to) {
        return (short) (to - from);
    }

    /** True when {@code candidate} comes after {@code reference} (by the shorter way round). */
    public static boolean isNewer(int candidate, int reference) {
        return distance(reference, candidate) > 0;
    }

    /** A comparator order for sequence numbers within half the circle of each other. */
    public static int compare(int a, int b) {
        return Integer.signum(distance(b, a));
    }
}
