package io.liveshard.protocol.rtcp;

/**
 * NTP timestamps as RTCP carries them (RFC 3550 4): 64-bit fixed point, seconds since 1900 in the high 32 bits and
 * the fraction of a second in the low 32, held in a {@code long} (the seconds wrap in 2036, era 1, as NTP's do).
 * The "compact" form is the middle 32 bits, in 1/65536 s, which LSR and DLSR use.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-4">RFC 3550, 4</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4330#section-3">RFC 4330, 3 (NTP eras)</a>
 */
public final class RtcpNtpTime {

    /** Seconds from 1900-01-01 (NTP's epoch) to 1970-01-01 (Unix's). */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MASK_32 = 0xFFFF_FFFFL;

    private RtcpNtpTime() {
    }

    /** The NTP timestamp of a wall clock time in nanoseconds since the Unix epoch. */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND) + UNIX_EPOCH_OFFSET_SECONDS;
        long nanos = Math.floorMod(unixNanos, NANOS_PER_SECOND);
        return (seconds << 32) | ((nanos << 32) / NANOS_PER_SECOND);
    }

    /** The NTP timestamp of wall clock milliseconds since the Unix epoch, e.g. {@link System#currentTimeMillis()}. */
    public static long fromUnixMillis(long unixMillis) {
        return fromUnixNanos(unixMillis * 1_000_000L);
    }

    /**
     * Nanoseconds since the Unix epoch for an NTP timestamp. Seconds values below 2^31 are taken as era 1 (from
     * 2036), as RFC 4330 3 suggests, so times from 1968 to 2104 convert correctly.
     */
    public static long toUnixNanos(long ntpTimestamp) {
        long seconds = ntpTimestamp >>> 32;
        if (seconds < (1L << 31)) {
            seconds += 1L << 32;
        }
        long fraction = ntpTimestamp & MASK_32;
        return (seconds - UNIX_EPOCH_OFFSET_SECONDS) * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> 32);
    }

    /** The middle 32 bits: what a receiver echoes as LSR, and the unit of DLSR (RFC 3550 6.4.1). */
    public static long compact(long ntpTimestamp) {
        return (ntpTimestamp >>> 16) & MASK_32;
    }

    /**
     * The round trip time from a report block: arrival minus LSR minus DLSR, all compact NTP (RFC 3550 6.4.1,
     * figure 2), in microseconds. -1 when LSR is 0 (the receiver has not had a sender report yet). A slightly
     * negative result, from the receiver rounding DLSR on a near-zero path, counts as 0.
     */
    public static long roundTripMicros(long arrivalCompactNtp, long lastSenderReport,
                                       long delaySinceLastSenderReport) {
        if (lastSenderReport == 0) {
            return -1;
        }
        int compact = (int) (arrivalCompactNtp - lastSenderReport - delaySinceLastSenderReport);
        return compact <= 0 ? 0 : compact * 1_000_000L / 65_536L;
    }
}
