package io.liveshard.protocol.hls;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Writes a Low-Latency HLS media playlist (RFC 8216bis, "HTTP Live Streaming 2nd Edition"): fMP4 segments with
 * {@code EXT-X-MAP}, the parts of the segments nearest the live edge ({@code EXT-X-PART}), the parts of the segment
 * being made, and a {@code EXT-X-PRELOAD-HINT} for the next part, under {@code EXT-X-SERVER-CONTROL} announcing
 * blocking playlist reload and the part hold-back.
 *
 * @see <a href="https://datatracker.ietf.org/doc/draft-pantos-hls-rfc8216bis/">RFC 8216bis</a>
 */
public final class HlsLowLatencyPlaylist {

    /** Version 9: the version Low-Latency HLS playlists declare (RFC 8216bis section 8). */
    public static final int VERSION = 9;
    /**
     * Parts a player stays behind the live edge: RFC 8216bis section 4.4.3.8 requires PART-HOLD-BACK to be at least
     * twice the part target and recommends three times.
     */
    public static final int PART_HOLD_BACK_PARTS = 3;


    private HlsLowLatencyPlaylist() {}

    /** What the playlist says about the segment being made at the live edge. */
    public record LiveEdge(long sequence, String mapUri, long programDateTimeMillis, boolean discontinuity,
                           List<HlsPartEntry> parts, String preloadHintUri) {
    }

    /**
     * @param segments              finished segments, oldest first
     * @param edge                  the segment being made, or null once the stream ended
     * @param targetSeconds         {@code EXT-X-TARGETDURATION} at least (raised to cover the longest segment)
     * @param partTargetMillis      {@code PART-TARGET}
     * @param discontinuitySequence discontinuities before the first listed segment
     * @param ended                 {@code EXT-X-ENDLIST}
     */
    public static String write(List<HlsLowLatencySegment> segments, LiveEdge edge, int targetSeconds,
                               long partTargetMillis, long discontinuitySequence, boolean ended) {
        long longest = segments.stream().mapToLong(s -> s.segment().durationMillis()).max().orElse(0);
        long target = Math.max(targetSeconds, Math.round(longest / 1000.0));
        long firstSequence = segments.isEmpty() ? (edge == null ? 0 : edge.sequence())
                : segments.get(0).segment().sequence();
        StringBuilder text = new StringBuilder(512 + segments.size() * 256);
        text.append("#EXTM3U\n");
        text.append("#EXT-X-VERSION:").append(VERSION).append('\n');
        text.append("#EXT-X-TARGETDURATION:").append(target).append('\n');
        text.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=")
                .append(seconds(partTargetMillis * PART_HOLD_BACK_PARTS)).append('\n');
        text.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(partTargetMillis)).append('\n');
        text.append("#EXT-X-MEDIA-SEQUENCE:").append(firstSequence).append('\n');
        text.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        String currentMap = null;
        for (HlsLowLatencySegment segment : segments) {
            currentMap = header(text, segment.segment().discontinuity(), segment.mapUri(), currentMap,
                    segment.segment().programDateTimeMillis());
            parts(text, segment.parts());
            text.append("#EXTINF:").append(seconds(segment.segment().durationMillis())).append(",\n");
            text.append(segment.segment().uri()).append('\n');
        }
        if (edge != null && !ended) {
            header(text, edge.discontinuity(), edge.mapUri(), currentMap, edge.programDateTimeMillis());
            parts(text, edge.parts());
            text.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(edge.preloadHintUri()).append("\"\n");
        }
        if (ended) {
            text.append("#EXT-X-ENDLIST\n");
        }
        return text.toString();
    }

    private static String header(StringBuilder text, boolean discontinuity, String mapUri, String currentMap,
                                 long programDateTimeMillis) {
        if (discontinuity) {
            text.append("#EXT-X-DISCONTINUITY\n");
        }
        if (!mapUri.equals(currentMap)) {
            text.append("#EXT-X-MAP:URI=\"").append(mapUri).append("\"\n");
        }
        text.append("#EXT-X-PROGRAM-DATE-TIME:")
                .append(HlsMediaPlaylist.PROGRAM_DATE_TIME.format(Instant.ofEpochMilli(programDateTimeMillis)))
                .append('\n');
        return mapUri;
    }

    private static void parts(StringBuilder text, List<HlsPartEntry> parts) {
        for (HlsPartEntry part : parts) {
            text.append("#EXT-X-PART:DURATION=").append(seconds(part.durationMillis()))
                    .append(",URI=\"").append(part.uri()).append('"');
            if (part.independent()) {
                text.append(",INDEPENDENT=YES");
            }
            text.append('\n');
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
