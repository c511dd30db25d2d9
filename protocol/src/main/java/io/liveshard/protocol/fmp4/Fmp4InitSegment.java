package io.liveshard.protocol.fmp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a CMAF header / HLS initialization segment (EXT-X-MAP): {@code ftyp} and a {@code moov} that declares the
 * tracks with empty sample tables (all samples live in movie fragments) and {@code mvex}/{@code trex} announcing
 * that fragments follow.
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, 8.2 to 8.8</a>
 * @see <a href="https://www.iso.org/standard/85623.html">ISO/IEC 23000-19 (CMAF), CMAF header</a>
 */
public final class Fmp4InitSegment {

    /** ftyp major_brand: ISO BMFF edition 6, which covers version 1 trun (ISO/IEC 14496-12, 4.3 and Annex E). */
    public static final String MAJOR_BRAND = "iso6";

    /** ftyp minor_version: informative only (4.3.3). */
    public static final int MINOR_VERSION = 0;

    /**
     * ftyp compatible_brands: iso6 (as the major brand), cmfc (the CMAF structural brand, ISO/IEC 23000-19), isom and
     * mp41 for older readers.
     */
    public static final List<String> COMPATIBLE_BRANDS = List.of("iso6", "cmfc", "isom", "mp41");

    /** mvhd timescale: the presentation itself has no samples, so the RTMP millisecond clock does. */
    public static final int MOVIE_TIMESCALE = 1000;

    /** tkhd flags: track_enabled | track_in_movie (8.3.2.3). */
    public static final int TRACK_ENABLED_IN_MOVIE = 0x000003;

    /** The unity matrix of mvhd and tkhd, in 16.16 and 2.30 fixed point (8.2.2.3). */
    private static final long[] UNITY_MATRIX = {0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000};

    /** rate 1.0 (16.16) and volume 1.0 (8.8), the required defaults (8.2.2.3, 8.3.2.3). */
    private static final long RATE_NORMAL = 0x0001_0000L;
    private static final int VOLUME_FULL = 0x0100;

    /** mdhd language 'und' (undetermined), packed as three 5-bit letters minus 0x60 (8.4.2.3). */
    private static final int LANGUAGE_UNDETERMINED = ('u' - 0x60) << 10 | ('n' - 0x60) << 5 | ('d' - 0x60);

    /** Every track has exactly one sample entry in its stsd; trex and tfhd refer to it by index 1 (8.8.3.2). */
    public static final int SAMPLE_DESCRIPTION_INDEX = 1;

    /** vmhd must have flags 1 (8.4.5.2.1, 12.1.2.2). */
    private static final int VMHD_FLAGS = 1;

    /** 'url ' flags 1: the media data is in the same file (8.7.2.3). */
    private static final int SELF_CONTAINED = 1;

    private Fmp4InitSegment() {
    }

    /**
     * The init segment for these tracks, in this order.
     *
     * @throws Fmp4Exception when there is no track or two tracks share a track_ID
     */
    public static byte[] build(List<Fmp4Track> tracks) throws Fmp4Exception {
        if (tracks.isEmpty()) {
            throw new Fmp4Exception("an init segment needs at least one track");
        }
        Set<Integer> ids = new HashSet<>();
        int maxTrackId = 0;
        for (Fmp4Track track : tracks) {
            if (!ids.add(track.trackId())) {
                throw new Fmp4Exception("track_ID " + track.trackId() + " is used twice");
            }
            maxTrackId = Math.max(maxTrackId, track.trackId());
        }
        Mp4BoxWriter out = new Mp4BoxWriter(1024);
        ftyp(out);
        int moov = out.begin("moov");
        mvhd(out, maxTrackId + 1);
        for (Fmp4Track track : tracks) {
            trak(out, track);
        }
        int mvex = out.begin("mvex");
        for (Fmp4Track track : tracks) {
            trex(out, track);
        }
        out.end(mvex);
        out.end(moov);
        return out.toByteArray();
    }

    private static void ftyp(Mp4BoxWriter out) {
        int ftyp = out.begin("ftyp");
        out.fourCc(MAJOR_BRAND).u32(MINOR_VERSION);
        COMPATIBLE_BRANDS.forEach(out::fourCc);
        out.end(ftyp);
    }

    private static void mvhd(Mp4BoxWriter out, int nextTrackId) {
        int mvhd = out.beginFull("mvhd", 0, 0);
        out.u32(0).u32(0); // creation_time, modification_time: unknown for a live stream
        out.u32(MOVIE_TIMESCALE).u32(0); // duration 0: the length comes from the fragments (8.8.1)
        out.u32(RATE_NORMAL).u16(VOLUME_FULL).zeros(2 + 8); // reserved
        matrix(out);
        out.zeros(6 * 4); // pre_defined
        out.u32(nextTrackId);
        out.end(mvhd);
    }

    private static void trak(Mp4BoxWriter out, Fmp4Track track) {
        int trak = out.begin("trak");
        int tkhd = out.beginFull("tkhd", 0, TRACK_ENABLED_IN_MOVIE);
        out.u32(0).u32(0).u32(track.trackId()).u32(0).u32(0); // times, track_ID, reserved, duration
        out.zeros(8).u16(0).u16(0); // reserved, layer, alternate_group
        out.u16(track.isVideo() ? 0 : VOLUME_FULL).u16(0); // volume, reserved
        matrix(out);
        out.u32((long) track.width() << 16).u32((long) track.height() << 16); // 16.16 fixed point
        out.end(tkhd);

        int mdia = out.begin("mdia");
        int mdhd = out.beginFull("mdhd", 0, 0);
        out.u32(0).u32(0).u32(track.timescale()).u32(0);
        out.u16(LANGUAGE_UNDETERMINED).u16(0);
        out.end(mdhd);
        int hdlr = out.beginFull("hdlr", 0, 0);
        out.u32(0).fourCc(track.isVideo() ? "vide" : "soun").zeros(12);
        out.bytes(nullTerminated(track.isVideo() ? "LiveShard video" : "LiveShard audio"));
        out.end(hdlr);

        int minf = out.begin("minf");
        if (track.isVideo()) {
            int vmhd = out.beginFull("vmhd", 0, VMHD_FLAGS);
            out.zeros(2 + 6); // graphicsmode copy, opcolor
            out.end(vmhd);
        } else {
            int smhd = out.beginFull("smhd", 0, 0);
            out.zeros(2 + 2); // balance centre, reserved
            out.end(smhd);
        }
        int dinf = out.begin("dinf");
        int dref = out.beginFull("dref", 0, 0);
        out.u32(1);
        int url = out.beginFull("url ", 0, SELF_CONTAINED);
        out.end(url);
        out.end(dref);
        out.end(dinf);
        stbl(out, track);
        out.end(minf);
        out.end(mdia);
        out.end(trak);
    }

    private static void stbl(Mp4BoxWriter out, Fmp4Track track) {
        int stbl = out.begin("stbl");
        int stsd = out.beginFull("stsd", 0, 0);
        out.u32(1);
        Fmp4SampleEntryWriter.write(out, track);
        out.end(stsd);
        for (String emptyTable : List.of("stts", "stsc")) {
            int box = out.beginFull(emptyTable, 0, 0);
            out.u32(0); // entry_count
            out.end(box);
        }
        int stsz = out.beginFull("stsz", 0, 0);
        out.u32(0).u32(0); // sample_size, sample_count
        out.end(stsz);
        int stco = out.beginFull("stco", 0, 0);
        out.u32(0);
        out.end(stco);
        out.end(stbl);
    }

    /**
     * trex (8.8.3): fragments state every sample's duration, size and flags in trun, so the defaults are neutral
     * and only the sample description index matters.
     */
    private static void trex(Mp4BoxWriter out, Fmp4Track track) {
        int trex = out.beginFull("trex", 0, 0);
        out.u32(track.trackId()).u32(SAMPLE_DESCRIPTION_INDEX);
        out.u32(0).u32(0).u32(0); // default_sample_duration, default_sample_size, default_sample_flags
        out.end(trex);
    }

    private static void matrix(Mp4BoxWriter out) {
        for (long value : UNITY_MATRIX) {
            out.u32(value);
        }
    }

    private static byte[] nullTerminated(String name) {
        byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(ascii, ascii.length + 1);
    }
}
