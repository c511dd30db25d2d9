package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

/**
 * Makes one viewer's timestamps start at zero with its first media frame, so a player joining an hour into a
 * stream starts at once instead of waiting for, or seeking to, the stream's own clock. Codec configs and metadata
 * sent before the first media frame get timestamp zero; nothing goes below zero (audio interleaved slightly ahead
 * of the first keyframe is clamped).
 */
public final class TimestampRebaser {

    private long base = Long.MIN_VALUE;

    /** The viewer's decode timestamp for {@code frame}, in milliseconds. */
    public long rebase(MediaFrame frame) {
        if (base == Long.MIN_VALUE) {
            if (frame.config() || frame.kind() == MediaKind.DATA) {
                return 0;
            }
            base = frame.dts();
        }
        return Math.max(0, frame.dts() - base);
    }
}
