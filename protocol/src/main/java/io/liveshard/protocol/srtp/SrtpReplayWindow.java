package io.liveshard.protocol.srtp;

/**
 * The sliding replay window of RFC 3711 section 3.3.2 over packet indices (48-bit SRTP or 31-bit SRTCP).
 *
 * <p>Checking and accepting are separate steps so that only packets whose tag verified move the window: a forged
 * packet with a huge index must not push genuine ones out of it.
 */
final class SrtpReplayWindow {

    /** RFC 3711 section 3.3.2: the window SHOULD cover at least 64 packets; one long holds exactly that. */
    static final int WINDOW_SIZE = 64;

    private long highest = -1;
    private long seen;

    /** Refuses an index already accepted or older than the window reaches. */
    void check(long index, int ssrc) throws SrtpException {
        if (highest < 0 || index > highest) {
            return;
        }
        long age = highest - index;
        if (age >= WINDOW_SIZE) {
            throw new SrtpException(SrtpException.Reason.TOO_OLD, "ssrc " + Integer.toUnsignedString(ssrc)
                    + ": index " + index + " is " + age + " behind the newest, beyond the replay window");
        }
        if ((seen & (1L << age)) != 0) {
            throw new SrtpException(SrtpException.Reason.REPLAYED,
                    "ssrc " + Integer.toUnsignedString(ssrc) + ": index " + index + " was already received");
        }
    }

    /** Records an authenticated index that passed {@link #check}. */
    void accept(long index) {
        if (highest < 0) {
            highest = index;
            seen = 1;
        } else if (index > highest) {
            long shift = index - highest;
            seen = shift >= WINDOW_SIZE ? 1 : (seen << shift) | 1;
            highest = index;
        } else {
            seen |= 1L << (highest - index);
        }
    }

    /** The highest index accepted, or -1 before the first. */
    long highest() {
        return highest;
    }
}
