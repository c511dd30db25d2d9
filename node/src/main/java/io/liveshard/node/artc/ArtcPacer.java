package io.liveshard.node.artc;

/**
 * One session's send pacing, a token bucket over bytes: a first burst goes at once, then at most the catch-up
 * bitrate. A new viewer's cached GOP is the only thing that ever waits for it; a live stream below that bitrate
 * never does. A frame is sent whole once the bucket is not in debt, so one large keyframe may put it in debt and
 * the next frame waits until that is repaid.
 */
final class ArtcPacer {

    private final double bytesPerNano;
    private final long burstBytes;
    private double tokens;
    private long refilledNanos;

    ArtcPacer(long bitsPerSecond, int burstBytes, long nowNanos) {
        this.bytesPerNano = bitsPerSecond / 8e9;
        this.burstBytes = burstBytes;
        this.tokens = burstBytes;
        this.refilledNanos = nowNanos;
    }

    /** 0 when the next frame may go now; else how many nanoseconds until it may. */
    long waitNanos(long nowNanos) {
        if (nowNanos - refilledNanos > 0) {
            tokens = Math.min(burstBytes, tokens + (nowNanos - refilledNanos) * bytesPerNano);
            refilledNanos = nowNanos;
        }
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / bytesPerNano);
    }

    void spent(int bytes) {
        tokens -= bytes;
    }
}
