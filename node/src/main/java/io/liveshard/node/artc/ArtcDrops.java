package io.liveshard.node.artc;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datagrams the artc port received and dropped, by reason: counted for {@code liveshard_artc_dropped_datagrams_total}
 * and logged at most once per {@link #LOG_INTERVAL_NANOS}, with the count since the last line and the latest sender
 * of each reason. A flood of junk on the port is one log line every ten seconds, not one per datagram, and the first
 * drop is logged at once; drops in the ten seconds after a line appear in the line of the next drop after them.
 */
final class ArtcDrops {

    private static final Logger log = LoggerFactory.getLogger(ArtcDrops.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    enum Reason {
        /** Not STUN, DTLS or SRTCP, or DTLS/SRTCP from an address no session has latched (no valid ICE check yet). */
        NOT_FOR_A_SESSION("not-for-a-session"),
        /** Looks like STUN but does not decode (length, attributes, fingerprint). */
        MALFORMED_STUN("malformed-stun"),
        /** A STUN request whose USERNAME names no session of this node. */
        UNKNOWN_USERNAME("unknown-username");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final LongAdder[] counts = new LongAdder[Reason.values().length];
    /** Each reason's count at the last log line; the lock orders one line's writes before the next line's reads. */
    private final long[] logged = new long[Reason.values().length];
    private final InetSocketAddress[] latestSender = new InetSocketAddress[Reason.values().length];
    private final AtomicLong nextLogNanos = new AtomicLong(System.nanoTime());

    ArtcDrops() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void dropped(Reason reason, InetSocketAddress sender) {
        counts[reason.ordinal()].increment();
        latestSender[reason.ordinal()] = sender;
        long now = System.nanoTime();
        long due = nextLogNanos.get();
        if (now - due >= 0 && nextLogNanos.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
            logSinceLastLine();
        }
    }

    long count(Reason reason) {
        return counts[reason.ordinal()].sum();
    }

    private synchronized void logSinceLastLine() {
        StringBuilder line = new StringBuilder();
        for (Reason reason : Reason.values()) {
            long total = counts[reason.ordinal()].sum();
            long since = total - logged[reason.ordinal()];
            logged[reason.ordinal()] = total;
            if (since > 0) {
                line.append(line.isEmpty() ? "" : ", ").append(since).append(' ').append(reason.label)
                        .append(" (latest from ").append(latestSender[reason.ordinal()]).append(')');
            }
        }
        log.warn("artc: dropped datagrams on the UDP port: {} (the next line, with what follows, in {} s at the "
                + "earliest)", line, LOG_INTERVAL_NANOS / 1_000_000_000L);
    }
}
