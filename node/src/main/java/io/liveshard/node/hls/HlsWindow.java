package io.liveshard.node.hls;

import io.liveshard.protocol.hls.HlsMediaPlaylist;
import io.liveshard.protocol.hls.HlsSegmentEntry;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of a stream's HLS window: what one playlist request sees, whatever the segmenter does
 * meanwhile.
 *
 * @param segments              the window, oldest first
 * @param discontinuitySequence discontinuities that slid out of the window
 * @param ended                 the stream ended: no segment will follow the last
 */
public record HlsWindow(List<HlsSegment> segments, long discontinuitySequence, boolean ended) {

    public static final HlsWindow EMPTY = new HlsWindow(List.of(), 0, false);

    public Optional<HlsSegment> segment(long sequence) {
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        long index = sequence - segments.get(0).sequence();
        return index >= 0 && index < segments.size() ? Optional.of(segments.get((int) index)) : Optional.empty();
    }

    /** The media playlist, with segment URIs {@code {uriPrefix}{sequence}.ts} relative to the playlist. */
    public String playlist(String uriPrefix, int targetSeconds) {
        return playlist(uriPrefix, "", targetSeconds);
    }

    /**
     * The media playlist, with segment URIs {@code {uriPrefix}{sequence}.ts{uriQuery}} relative to the playlist
     * ({@code uriQuery} carries a viewer's signed-URL parameter to its segment requests).
     */
    public String playlist(String uriPrefix, String uriQuery, int targetSeconds) {
        List<HlsSegmentEntry> entries = segments.stream()
                .map(s -> new HlsSegmentEntry(s.sequence(), s.durationMillis(),
                        uriPrefix + s.sequence() + ".ts" + uriQuery,
                        s.programDateTimeMillis(), s.discontinuity()))
                .toList();
        return HlsMediaPlaylist.write(entries, targetSeconds, discontinuitySequence, ended);
    }
}
