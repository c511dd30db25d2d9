package io.liveshard.protocol.rtp;

/**
 * RTP timestamps: 32-bit unsigned counters in the media clock (RFC 3550 5.1), held in a {@code long} in 0..2^32-1.
 * LiveShard's media timestamps are milliseconds, so conversion is a multiplication and a wrap.
 */
public final class RtpTimestamps {

    /** The video clock of every H.264 RTP stream (RFC 6184 5.1). */
    public static final int H264_CLOCK_RATE = 90_000;

    /** The Opus RTP clock, whatever the actual sampling rate (RFC 7587 4.1). */
    public static final int OPUS_CLOCK_RATE = 48_000;

    /** RTP timestamps are 32 bits (RFC 3550 5.1). */
    public static final long MASK = 0xFFFF_FFFFL;

    private RtpTimestamps() {
    }

    /** {@code millis} in a clock of {@code clockRate} Hz, wrapped to 32 bits; negative times wrap too. */
    public static long fromMillis(long millis, int clockRate) {
        return Math.floorDiv(millis * clockRate, 1000) & MASK;
    }

    /** {@code timestamp + delta}, wrapped to 32 bits. */
    public static long add(long timestamp, long delta) {
        return (timestamp + delta) & MASK;
    }

    /**
     * The timestamp {@code elapsedNanos} after {@code timestamp}: what an RTCP sender report carries for "now" when the
     * last frame sent had {@code timestamp} (RFC 3550 6.4.1: the SR's RTP timestamp is the NTP instant in media time).
     */
    public static long advance(long timestamp, long elapsedNanos, int clockRate) {
        // in microseconds, so that a day's worth of nanoseconds times 90 000 cannot overflow
        return add(timestamp, Math.floorDiv(Math.floorDiv(elapsedNanos, 1_000L) * clockRate, 1_000_000L));
    }
}
