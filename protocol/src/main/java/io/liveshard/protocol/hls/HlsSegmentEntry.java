package io.liveshard.protocol.hls;

/**
 * One segment as a media playlist lists it.
 *
 * @param sequence              the segment's media sequence number (RFC 8216 section 4.3.3.2)
 * @param durationMillis        its duration, written as {@code #EXTINF} in seconds with millisecond precision
 * @param uri                   where a player fetches it, relative to the playlist
 * @param programDateTimeMillis wall-clock time of its first sample (epoch ms), for {@code #EXT-X-PROGRAM-DATE-TIME}
 * @param discontinuity         the segment follows a discontinuity (a new publisher or new codec parameters)
 */
public record HlsSegmentEntry(
        long sequence,
        long durationMillis,
        String uri,
        long programDateTimeMillis,
        boolean discontinuity) {

    public HlsSegmentEntry {
        if (sequence < 0 || durationMillis < 0) {
            throw new IllegalArgumentException("segment " + sequence + " with duration " + durationMillis);
        }
    }
}
