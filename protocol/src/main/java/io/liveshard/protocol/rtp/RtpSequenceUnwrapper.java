package io.liveshard.protocol.rtp;

/**
 * Turns 16-bit sequence numbers into extended (64-bit, never wrapping) ones, as RFC 3550 A.1 does with its cycle
 * count: each number is placed nearest the highest one seen so far. The first number extends to itself, so a packet
 * from before it (reordered across a wrap) gets a negative extended number. One instance per SSRC; not thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#appendix-A.1">RFC 3550, A.1</a>
 */
public final class RtpSequenceUnwrapper {

    private boolean started;
    private long highest;

    /** The extended form of {@code sequenceNumber} (0..65535); raises the highest seen when it is newer. */
    public long extend(int sequenceNumber) {
        if (sequenceNumber < 0 || sequenceNumber >= RtpSequenceNumbers.MODULUS) {
            throw new IllegalArgumentException("sequence number " + sequenceNumber + " outside 0..65535");
        }
        if (!started) {
            started = true;
            highest = sequenceNumber;
            return highest;
        }
        long extended = highest + RtpSequenceNumbers.distance((int) (highest & 0xFFFF), sequenceNumber);
        if (extended > highest) {
            highest = extended;
        }
        return extended;
    }

    /** The highest extended sequence number seen; -1 before the first. */
    public long highest() {
        return started ? highest : -1;
    }
}
