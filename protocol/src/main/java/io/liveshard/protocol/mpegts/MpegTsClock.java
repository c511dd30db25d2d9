package io.liveshard.protocol.mpegts;

/**
 * Converts LiveShard's millisecond timestamps to the 90 kHz system clock units of PTS, DTS and the PCR base
 * (ISO/IEC 13818-1 2.4.3.5 and 2.4.3.7), which are 33-bit fields that wrap about every 26.5 hours.
 *
 * <p>The muxer keeps timestamps unwrapped (a {@code long} in 90 kHz ticks) so it can compare them across a wrap, and
 * wraps them only when they are written.
 */
final class MpegTsClock {

    /** The system clock frequency of PTS, DTS and the PCR base: 90 kHz (2.4.2.1). */
    static final int TICKS_PER_SECOND = 90_000;

    /** Ticks per millisecond. */
    static final int TICKS_PER_MILLISECOND = TICKS_PER_SECOND / 1000;

    /**
     * Added to every timestamp: one second. It keeps the PCR, which runs a little behind the first DTS, and the DTS
     * of a stream that starts at 0 ms clear of the wrap, where players would see them as 26 hours in the future.
     */
    static final long OFFSET_TICKS = TICKS_PER_SECOND;

    /** PTS, DTS and the PCR base are 33-bit fields (2.4.3.7). */
    static final long TIMESTAMP_MASK = (1L << 33) - 1;

    private MpegTsClock() {
    }

    /** The unwrapped 90 kHz time of a millisecond timestamp, offset included. */
    static long ticks(long milliseconds) {
        return milliseconds * TICKS_PER_MILLISECOND + OFFSET_TICKS;
    }

    /** The 33-bit field value of an unwrapped time; negative times wrap too (a modulo, not a clamp). */
    static long wrap(long ticks) {
        return ticks & TIMESTAMP_MASK;
    }
}
