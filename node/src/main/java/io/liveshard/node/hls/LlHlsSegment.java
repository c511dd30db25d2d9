package io.liveshard.node.hls;

import java.util.List;

/**
 * A finished LL-HLS segment: its parts, and the same fragments back to back for players that fetch whole segments.
 *
 * @param sequence              media sequence number
 * @param durationMillis        media duration
 * @param parts                 its parts, in order
 * @param bytes                 the parts' fragments concatenated
 * @param programDateTimeMillis wall-clock ingest time of its first frame
 * @param discontinuity         follows a new publisher or new codec parameters
 * @param initVersion           which init segment decodes it
 * @param newestIngestNanos     when the node received the newest frame in it ({@link System#nanoTime()})
 */
public record LlHlsSegment(long sequence, long durationMillis, List<LlHlsPart> parts, byte[] bytes,
                           long programDateTimeMillis, boolean discontinuity, int initVersion,
                           long newestIngestNanos) {
}
