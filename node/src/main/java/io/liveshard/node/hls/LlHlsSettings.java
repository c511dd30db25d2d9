package io.liveshard.node.hls;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Low-Latency HLS settings, from {@code liveshard.hls.ll}.
 *
 * @param targetDuration  segments are cut at the first keyframe at least this long after the segment's start
 * @param partTarget      parts are closed before they would grow longer than this
 * @param windowSegments  segments a playlist lists and the node keeps
 * @param partSegments    how many of the newest finished segments list their parts too
 * @param blockTimeout    longest a blocking playlist reload or a preload-hinted part request is held
 */
public record LlHlsSettings(
        Duration targetDuration,
        Duration partTarget,
        int windowSegments,
        int partSegments,
        Duration blockTimeout) {

    public LlHlsSettings {
        if (partTarget.toMillis() < 50 || targetDuration.compareTo(partTarget) < 0 || windowSegments < 2) {
            throw new IllegalArgumentException("LL-HLS needs parts of at least 50 ms, segments longer than parts and "
                    + "2 segments, not " + partTarget + ", " + targetDuration + ", " + windowSegments);
        }
    }

    /** Reads the {@code liveshard.hls.ll} section. */
    public static LlHlsSettings fromConfig(Config ll) {
        return new LlHlsSettings(
                ll.getDuration("target-duration"),
                ll.getDuration("part-target"),
                ll.getInt("window-segments"),
                ll.getInt("part-segments"),
                ll.getDuration("block-timeout"));
    }

    public int targetSeconds() {
        return (int) Math.max(1, Math.round(targetDuration.toMillis() / 1000.0));
    }
}
