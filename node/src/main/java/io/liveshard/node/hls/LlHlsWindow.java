package io.liveshard.node.hls;

import io.liveshard.protocol.hls.HlsLowLatencyPlaylist;
import io.liveshard.protocol.hls.HlsLowLatencySegment;
import io.liveshard.protocol.hls.HlsPartEntry;
import io.liveshard.protocol.hls.HlsSegmentEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of a stream's LL-HLS state: finished segments, the segment being made with its parts so
 * far, and the init segments they need. Requests read snapshots only.
 *
 * @param segments              finished segments, oldest first
 * @param edgeSequence          sequence number of the segment being made
 * @param edgeParts             its parts so far
 * @param edgeProgramDateTime   wall-clock time of its first frame
 * @param edgeDiscontinuity     it follows a discontinuity
 * @param edgeInitVersion       the init segment it needs
 * @param inits                 init segments by version, for every version the window uses
 * @param discontinuitySequence discontinuities that slid out of the window
 * @param ended                 the stream ended
 */
public record LlHlsWindow(
        List<LlHlsSegment> segments,
        long edgeSequence,
        List<LlHlsPart> edgeParts,
        long edgeProgramDateTime,
        boolean edgeDiscontinuity,
        int edgeInitVersion,
        Map<Integer, byte[]> inits,
        long discontinuitySequence,
        boolean ended) {

    public static final LlHlsWindow EMPTY = new LlHlsWindow(List.of(), 0, List.of(), 0, false, -1, Map.of(), 0, false);

    public Optional<LlHlsSegment> segment(long sequence) {
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        long index = sequence - segments.get(0).sequence();
        return index >= 0 && index < segments.size() ? Optional.of(segments.get((int) index)) : Optional.empty();
    }

    public Optional<LlHlsPart> part(long sequence, int index) {
        List<LlHlsPart> parts = sequence == edgeSequence && !ended ? edgeParts
                : segment(sequence).map(LlHlsSegment::parts).orElse(List.of());
        return index >= 0 && index < parts.size() ? Optional.of(parts.get(index)) : Optional.empty();
    }

    /**
     * Whether the playlist already shows what a blocking reload asks for (RFC 8216bis section 6.2.5.2): part
     * {@code part} of segment {@code sequence}, or with {@code part < 0} the whole segment. A finished segment
     * satisfies any part of it, since a part index past its end means the next segment's first part.
     */
    public boolean shows(long sequence, int part) {
        return ended || sequence < edgeSequence
                || sequence == edgeSequence && part >= 0 && part < edgeParts.size();
    }

    /** Whether a part request may wait for this part: it is the next one the segmenter will make. */
    public boolean isNextPart(long sequence, int index) {
        return !ended && (sequence == edgeSequence && index == edgeParts.size()
                || sequence == edgeSequence + 1 && index == 0);
    }

    public long firstSequence() {
        return segments.isEmpty() ? edgeSequence : segments.get(0).sequence();
    }

    /**
     * True once a whole segment is listed: players without Low-Latency support (ffmpeg, older TVs) ignore parts and
     * give up on a playlist that lists none.
     */
    public boolean playable() {
        return ended || !inits.isEmpty() && !segments.isEmpty();
    }

    /**
     * The playlist; URIs are relative to it: {@code {prefix}init{v}.mp4}, {@code {prefix}{n}.m4s} and
     * {@code {prefix}{n}.{part}.m4s}.
     */
    public String playlist(String prefix, LlHlsSettings settings) {
        return playlist(prefix, "", settings);
    }

    /**
     * The playlist with {@code query} after every URI ({@code {prefix}{n}.m4s{query}}, ...): it carries a viewer's
     * signed-URL parameter to its init, segment and part requests.
     */
    public String playlist(String prefix, String query, LlHlsSettings settings) {
        int firstWithParts = Math.max(0, segments.size() - settings.partSegments());
        List<HlsLowLatencySegment> listed = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            LlHlsSegment s = segments.get(i);
            listed.add(new HlsLowLatencySegment(
                    new HlsSegmentEntry(s.sequence(), s.durationMillis(), prefix + s.sequence() + ".m4s" + query,
                            s.programDateTimeMillis(), s.discontinuity()),
                    prefix + "init" + s.initVersion() + ".mp4" + query,
                    i >= firstWithParts ? partEntries(prefix, query, s.parts()) : List.of()));
        }
        HlsLowLatencyPlaylist.LiveEdge edge = new HlsLowLatencyPlaylist.LiveEdge(edgeSequence,
                prefix + "init" + edgeInitVersion + ".mp4" + query, edgeProgramDateTime, edgeDiscontinuity,
                partEntries(prefix, query, edgeParts), prefix + edgeSequence + "." + edgeParts.size() + ".m4s" + query);
        return HlsLowLatencyPlaylist.write(listed, edgeParts.isEmpty() && edgeInitVersion < 0 ? null : edge,
                settings.targetSeconds(), settings.partTarget().toMillis(), discontinuitySequence, ended);
    }

    private static List<HlsPartEntry> partEntries(String prefix, String query, List<LlHlsPart> parts) {
        return parts.stream().map(p -> new HlsPartEntry(p.durationMillis(),
                prefix + p.sequence() + "." + p.index() + ".m4s" + query, p.independent())).toList();
    }
}
