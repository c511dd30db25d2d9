package io.liveshard.protocol.srtp;

/**
 * What one direction of one SSRC remembers between packets: the rollover counter and highest sequence number
 * (RFC 3711 section 3.3.1), the replay windows, and the next SRTCP index to send.
 */
final class SrtpStreamState {

    /** RFC 3711 section 3.3.1: the ROC is 32 bits, so the packet index is 48 bits. */
    static final long MAX_ROC = 0xffff_ffffL;
    private static final int SEQ_HALF = 1 << 15;

    final int ssrc;
    private boolean started;
    private long roc;
    private int highestSeq;
    final SrtpReplayWindow rtpWindow = new SrtpReplayWindow();
    final SrtpReplayWindow rtcpWindow = new SrtpReplayWindow();
    int nextSrtcpIndex;

    SrtpStreamState(int ssrc) {
        this.ssrc = ssrc;
    }

    /**
     * RFC 3711 Appendix A: the packet index this sequence number most likely has, choosing the ROC (one less,
     * equal, or one more) that puts it closest to the highest sequence number seen. Returns -1 for a packet from
     * before the stream's first ROC, which cannot be represented.
     */
    long estimateIndex(int seq) {
        if (!started) {
            return seq;
        }
        long guessedRoc;
        if (highestSeq < SEQ_HALF) {
            guessedRoc = seq - highestSeq > SEQ_HALF ? roc - 1 : roc;
        } else {
            guessedRoc = highestSeq - SEQ_HALF > seq ? roc + 1 : roc;
        }
        return guessedRoc < 0 ? -1 : guessedRoc << 16 | seq;
    }

    /** Moves ROC and highest sequence number forward to an authenticated or sent index; older ones change nothing. */
    void advanceTo(long index) {
        if (!started || index > (roc << 16 | highestSeq)) {
            started = true;
            roc = index >>> 16;
            highestSeq = (int) (index & 0xffff);
        }
    }

    long rolloverCounter() {
        return roc;
    }
}
