package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

/**
 * Makes one viewer's timestamps start at zero with its first media frame, so a player joining an hour into a
 * stream starts at once instead of waiting for, or seeking to, the stream's own clock. Codec configs and metadata
 * sent before the first media frame get timestamp zero; nothing goes below zero (audio interleaved slightly ahead
 * of the first keyframe is clamped).
 *
 * <p>A viewer whose stream moved to another node goes on with that node's copy, whose clock is its own: a video or
 * audio frame more than {@link #MAX_BACKWARD_MILLIS} behind the last one of its kind, or more than
 * {@link #MAX_FORWARD_MILLIS} ahead of the last media frame, starts a new timeline, and the viewer's timestamps
 * continue from where they were. Within a kind they never go back; codec configs and metadata take the timestamp
 * of the last media frame, so they never start a timeline of their own.
 */
public final class TimestampRebaser {

    /** Decode timestamps of one kind never go back in a live stream; this only allows for sloppy muxers. */
    static final long MAX_BACKWARD_MILLIS = 500;
    /**
     * Larger than any gap a live source leaves between frames (a publisher that pauses comes back on the stream's
     * own continued clock), far smaller than the distance between two unrelated clocks.
     */
    static final long MAX_FORWARD_MILLIS = 10_000;

    private long base = Long.MIN_VALUE;
    private long lastVideo = -1;
    private long lastAudio = -1;

    /** The viewer's decode timestamp for {@code frame}, in milliseconds. */
    public long rebase(MediaFrame frame) {
        boolean media = !frame.config() && frame.kind() != MediaKind.DATA;
        if (base == Long.MIN_VALUE) {
            if (!media) {
                return 0;
            }
            base = frame.dts();
        }
        long lastAny = Math.max(lastVideo, lastAudio);
        if (!media) {
            return Math.max(0, lastAny);
        }
        long lastOfKind = frame.isVideo() ? lastVideo : lastAudio;
        long rebased = frame.dts() - base;
        if (lastAny >= 0 && (rebased > lastAny + MAX_FORWARD_MILLIS
                || lastOfKind >= 0 && rebased < lastOfKind - MAX_BACKWARD_MILLIS)) {
            base = frame.dts() - (lastAny + 1);
            rebased = lastAny + 1;
        }
        rebased = Math.max(Math.max(0, rebased), lastOfKind);
        if (frame.isVideo()) {
            lastVideo = rebased;
        } else {
            lastAudio = rebased;
        }
        return rebased;
    }
}
