package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames since the latest video keyframe, so that a new viewer starts at once with a picture it can decode
 * instead of waiting up to a whole GOP. Bounded by frames and bytes: a GOP that outgrows the bounds is forgotten
 * until the next keyframe (new viewers then wait for that keyframe) rather than growing without limit.
 *
 * <p>Audio-only streams have no keyframes; for them the cache keeps nothing and viewers start with the next frame.
 * Not thread-safe: {@link StreamFanout} guards it.
 */
final class GopCache {

    private final int maxFrames;
    private final long maxBytes;
    private final List<MediaFrame> frames = new ArrayList<>();
    private long bytes;
    private boolean startsWithKeyframe;

    GopCache(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** Adds a media frame (never a config frame: those are kept apart by the fan-out). */
    void add(MediaFrame frame) {
        if (frame.isVideo() && frame.keyframe()) {
            clear();
            startsWithKeyframe = true;
        }
        if (!startsWithKeyframe) {
            return;
        }
        if (frames.size() + 1 > maxFrames || bytes + frame.body().length > maxBytes) {
            clear();
            return;
        }
        frames.add(frame);
        bytes += frame.body().length;
    }

    /** True when the cache holds a GOP starting with a keyframe. */
    boolean hasKeyframe() {
        return startsWithKeyframe && !frames.isEmpty();
    }

    List<MediaFrame> frames() {
        return frames;
    }

    int size() {
        return frames.size();
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        frames.clear();
        bytes = 0;
        startsWithKeyframe = false;
    }
}
