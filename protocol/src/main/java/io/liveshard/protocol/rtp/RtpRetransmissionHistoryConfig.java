package io.liveshard.protocol.rtp;

import java.time.Duration;

/**
 * Limits of a {@link RtpRetransmissionHistory}.
 *
 * @param capacity how many packets are kept: a power of two, at most half the sequence number space
 * @param maxAge   how long a packet stays eligible for retransmission: older ones would arrive after the
 *                 receiver's jitter buffer has given up on them
 */
public record RtpRetransmissionHistoryConfig(int capacity, Duration maxAge) {

    /** About a second of 8 Mbit/s video in 1200-byte packets: longer than any useful retransmission. */
    public static final int DEFAULT_CAPACITY = 1024;

    /** libwebrtc's receivers stop NACKing a packet after about a second; keep it a little longer. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMillis(1500);

    /**
     * Half the 16-bit sequence space (RFC 3550 5.1): beyond it "newer" and "older" stop being decidable, so an old
     * entry could be taken for a new one.
     */
    public static final int MAX_CAPACITY = 1 << 15;

    public static final RtpRetransmissionHistoryConfig DEFAULT =
            new RtpRetransmissionHistoryConfig(DEFAULT_CAPACITY, DEFAULT_MAX_AGE);

    public RtpRetransmissionHistoryConfig {
        if (capacity < 1 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("RTP history capacity " + capacity + " is not a power of two in 1.."
                    + MAX_CAPACITY);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("RTP history max age " + maxAge + " is not positive");
        }
    }
}
