package io.liveshard.protocol.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes a live HLS media playlist (RFC 8216, section 4.3) for a sliding window of segments.
 *
 * <p>{@code EXT-X-TARGETDURATION} is the longest segment rounded to the nearest second, as section 4.3.3.1 requires
 * every {@code EXTINF} rounded to be at most it; {@code EXT-X-DISCONTINUITY-SEQUENCE} counts the discontinuities
 * that already slid out of the window (section 4.3.3.3) so players keep their timelines apart.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8216">RFC 8216: HTTP Live Streaming</a>
 */
public final class HlsMediaPlaylist {

    /** Version 3: integer-or-decimal EXTINF durations, the lowest version our playlists need. */
    public static final int VERSION = 3;

    /** {@code EXT-X-PROGRAM-DATE-TIME}: ISO 8601 with milliseconds and zone (RFC 8216 section 4.3.2.6). */
    static final DateTimeFormatter PROGRAM_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private HlsMediaPlaylist() {}

    /**
     * @param segments               the window, oldest first (may be empty)
     * @param minimumTargetSeconds   the configured target duration, used when the window is empty or shorter
     * @param discontinuitySequence  discontinuities before the first segment of the window
     * @param ended                  the stream ended: {@code EXT-X-ENDLIST} follows the last segment
     */
    public static String write(List<HlsSegmentEntry> segments, int minimumTargetSeconds, long discontinuitySequence,
                               boolean ended) {
        long longest = segments.stream().mapToLong(HlsSegmentEntry::durationMillis).max().orElse(0);
        long target = Math.max(minimumTargetSeconds, Math.round(longest / 1000.0));
        StringBuilder text = new StringBuilder(128 + segments.size() * 96);
        text.append("#EXTM3U\n");
        text.append("#EXT-X-VERSION:").append(VERSION).append('\n');
        text.append("#EXT-X-TARGETDURATION:").append(target).append('\n');
        text.append("#EXT-X-MEDIA-SEQUENCE:").append(segments.isEmpty() ? 0 : segments.get(0).sequence())
                .append('\n');
        text.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        for (HlsSegmentEntry segment : segments) {
            if (segment.discontinuity()) {
                text.append("#EXT-X-DISCONTINUITY\n");
            }
            text.append("#EXT-X-PROGRAM-DATE-TIME:")
                    .append(PROGRAM_DATE_TIME.format(Instant.ofEpochMilli(segment.programDateTimeMillis())))
                    .append('\n');
            text.append("#EXTINF:").append(String.format(Locale.ROOT, "%.3f", segment.durationMillis() / 1000.0))
                    .append(",\n");
            text.append(segment.uri()).append('\n');
        }
        if (ended) {
            text.append("#EXT-X-ENDLIST\n");
        }
        return text.toString();
    }
}
