package io.liveshard.node.hls;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Classic HLS settings, from {@code liveshard.hls}.
 *
 * @param targetDuration       segments are cut at the first keyframe at least this long after the segment's start
 * @param windowSegments       segments a playlist lists (and the node keeps in memory)
 * @param idleTimeout          a stream's HLS muxer stops after no HLS request for this long
 * @param firstSegmentTimeout  how long a playlist request waits for the first segment of a newly started muxer
 * @param viewerWindow         a client counts as an HLS viewer while its last request is this recent
 * @param sweepInterval        how often idle muxers are looked for
 */
public record HlsSettings(
        Duration targetDuration,
        int windowSegments,
        Duration idleTimeout,
        Duration firstSegmentTimeout,
        Duration viewerWindow,
        Duration sweepInterval) {

    public HlsSettings {
        if (targetDuration.toMillis() < 100 || windowSegments < 2) {
            throw new IllegalArgumentException("HLS needs a target duration of at least 100 ms and 2 segments, not "
                    + targetDuration + " and " + windowSegments);
        }
    }

    /** Reads the {@code liveshard.hls} section. */
    public static HlsSettings fromConfig(Config hls) {
        return new HlsSettings(
                hls.getDuration("target-duration"),
                hls.getInt("window-segments"),
                hls.getDuration("idle-timeout"),
                hls.getDuration("first-segment-timeout"),
                hls.getDuration("viewer-window"),
                hls.getDuration("sweep-interval"));
    }

    /** The target duration in whole seconds, at least 1, as {@code EXT-X-TARGETDURATION} needs it. */
    public int targetSeconds() {
        return (int) Math.max(1, Math.round(targetDuration.toMillis() / 1000.0));
    }
}
