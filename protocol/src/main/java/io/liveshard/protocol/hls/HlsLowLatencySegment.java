package io.liveshard.protocol.hls;

import java.util.List;

/**
 * A finished segment of a Low-Latency HLS playlist, with its initialization section and its parts.
 *
 * @param segment the segment itself
 * @param mapUri  its {@code EXT-X-MAP} initialization section (fMP4 init segment)
 * @param parts   its parts; listed only for the segments closest to the live edge
 */
public record HlsLowLatencySegment(HlsSegmentEntry segment, String mapUri, List<HlsPartEntry> parts) {
}
