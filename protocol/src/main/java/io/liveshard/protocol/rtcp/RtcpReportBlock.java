package io.liveshard.protocol.rtcp;

/**
 * A reception report block of a sender or receiver report: how one source's packets arrive at the reporter.
 *
 * @param ssrc                          the source this block is about
 * @param fractionLost                  packets lost since the previous report, in 1/256 (8 bits)
 * @param cumulativeLost                packets lost since the start, a signed 24-bit value: duplicates can make it
 *                                      negative
 * @param extendedHighestSequenceNumber cycles in the high 16 bits, highest sequence number in the low 16
 * @param jitter                        interarrival jitter in timestamp units
 * @param lastSenderReport              LSR: the middle 32 bits of the NTP timestamp of the last SR received, 0 if
 *                                      none
 * @param delaySinceLastSenderReport    DLSR: since that SR, in 1/65536 s
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550, 6.4.1</a>
 */
public record RtcpReportBlock(
        long ssrc,
        int fractionLost,
        int cumulativeLost,
        long extendedHighestSequenceNumber,
        long jitter,
        long lastSenderReport,
        long delaySinceLastSenderReport) {

    /** The size of a block on the wire. */
    public static final int SIZE = 24;

    /** The fraction lost as a ratio, 0 to 255/256. */
    public double fractionLostRatio() {
        return fractionLost / 256.0;
    }

    /**
     * The round trip time this block reveals to the sender of the SR it refers to, given when the block arrived
     * (RFC 3550 6.4.1, figure 2), in microseconds; -1 when the reporter has not received an SR yet.
     *
     * @param arrivalCompactNtp the middle 32 bits of the NTP time the block arrived, {@link RtcpNtpTime#compact}
     */
    public long roundTripMicros(long arrivalCompactNtp) {
        return RtcpNtpTime.roundTripMicros(arrivalCompactNtp, lastSenderReport, delaySinceLastSenderReport);
    }
}
