package io.liveshard.node.hls;

/**
 * One finished MPEG-TS segment, built once per stream and served to every HLS viewer as is.
 *
 * @param sequence              media sequence number
 * @param durationMillis        media duration
 * @param bytes                 the whole segment: PAT, PMT, then PES packets starting with a keyframe
 * @param programDateTimeMillis wall-clock ingest time of its first frame
 * @param discontinuity         a new publisher or new codec parameters start with this segment
 * @param newestIngestNanos     when the node received the newest frame in it ({@link System#nanoTime()})
 */
public record HlsSegment(long sequence, long durationMillis, byte[] bytes, long programDateTimeMillis,
                         boolean discontinuity, long newestIngestNanos) {
}
