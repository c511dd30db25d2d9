package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;

/**
 * What a stream's fan-out knows about itself at one moment.
 *
 * @param subscribers     attached subscribers of every protocol
 * @param framesIn        frames received from publishers since the entity started
 * @param bytesIn         tag body bytes received from publishers
 * @param hasVideo        a video frame or config was seen
 * @param hasAudio        an audio frame or config was seen
 * @param videoCodec      codec of the current video config, or null
 * @param audioCodec      codec of the current audio config, or null
 * @param gopCacheFrames  frames in the GOP cache
 * @param lastIngestNanos {@link System#nanoTime()} of the latest frame's arrival, 0 before any
 * @param videoConfig     the current video codec configuration frame, or null (node-local: never serialized)
 */
public record StreamStats(
        int subscribers,
        long framesIn,
        long bytesIn,
        boolean hasVideo,
        boolean hasAudio,
        MediaCodec videoCodec,
        MediaCodec audioCodec,
        int gopCacheFrames,
        long lastIngestNanos,
        MediaFrame videoConfig) {

    /** A stream nobody publishes here: nothing received. */
    public static final StreamStats EMPTY = new StreamStats(0, 0, 0, false, false, null, null, 0, 0, null);

}
