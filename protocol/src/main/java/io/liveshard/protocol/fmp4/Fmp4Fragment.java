package io.liveshard.protocol.fmp4;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds one movie fragment, {@code moof} then {@code mdat}: a CMAF chunk, which is what an LL-HLS partial segment
 * (EXT-X-PART) or a whole media segment carries. Per track a {@code traf} holds {@code tfhd} (offsets count from the
 * moof), {@code tfdt} (the decode time of the first sample) and one {@code trun} with every sample's duration, size,
 * flags and, when any is non-zero, composition offset. The single mdat holds the samples track after track, each
 * track's samples in order, and each trun's data_offset points at its track's first byte.
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, 8.8.4 to 8.8.12</a>
 * @see <a href="https://www.iso.org/standard/85623.html">ISO/IEC 23000-19 (CMAF), CMAF chunks and fragments</a>
 */
public final class Fmp4Fragment {

    /** tfhd default-base-is-moof: data offsets count from the first byte of the moof (8.8.7.1). */
    public static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x02_0000;

    /** trun data-offset-present (8.8.8.1). */
    public static final int TRUN_DATA_OFFSET = 0x00_0001;

    /** trun sample-duration-present (8.8.8.1). */
    public static final int TRUN_SAMPLE_DURATION = 0x00_0100;

    /** trun sample-size-present (8.8.8.1). */
    public static final int TRUN_SAMPLE_SIZE = 0x00_0200;

    /** trun sample-flags-present (8.8.8.1). */
    public static final int TRUN_SAMPLE_FLAGS = 0x00_0400;

    /** trun sample-composition-time-offsets-present (8.8.8.1). */
    public static final int TRUN_SAMPLE_COMPOSITION_OFFSET = 0x00_0800;

    /**
     * trun version 1 makes composition offsets signed (8.8.8.2), so B-frame streams can be written with the
     * offsets the encoder produced, negative ones included; it changes nothing for zero or positive offsets.
     */
    public static final int TRUN_VERSION_SIGNED_OFFSETS = 1;

    /** tfdt version 1: a 64-bit baseMediaDecodeTime, which a 90 kHz clock outgrows in 13 hours at 32 bits. */
    public static final int TFDT_VERSION_64_BIT = 1;

    /** Bytes per trun sample: duration, size, flags, composition offset, 4 each (8.8.8.2). */
    private static final int MAX_TRUN_ENTRY_SIZE = 16;

    /** The most media data one fragment can carry: the mdat (with its header) must fit a compact 32-bit size. */
    public static final long MAX_MEDIA_BYTES = Integer.MAX_VALUE - 64L * 1024;

    private Fmp4Fragment() {
    }

    /**
     * The moof and mdat of one fragment.
     *
     * @param sequenceNumber mfhd sequence_number (8.8.5): 1 for the first fragment, increasing by one
     * @param runs           one run per track, each with at least one sample
     * @throws Fmp4Exception when there is no run, a run has no sample, two runs are for the same track, a sample
     *                       has a negative duration or size, its slice lies outside its array, the decode times do
     *                       not follow from the durations, or the media data is too large
     */
    public static byte[] build(int sequenceNumber, List<Fmp4TrackRun> runs) throws Fmp4Exception {
        if (sequenceNumber < 0) {
            throw new Fmp4Exception("fragment sequence number " + sequenceNumber + " is negative");
        }
        long mediaBytes = validate(runs);
        int sampleCount = runs.stream().mapToInt(run -> run.samples().size()).sum();
        long estimate = mediaBytes + 128 + runs.size() * 64L + (long) sampleCount * MAX_TRUN_ENTRY_SIZE;
        Mp4BoxWriter out = new Mp4BoxWriter((int) Math.min(estimate, Integer.MAX_VALUE - 8L));

        int moof = out.begin("moof");
        int mfhd = out.beginFull("mfhd", 0, 0);
        out.u32(sequenceNumber);
        out.end(mfhd);
        int[] dataOffsetFields = new int[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            dataOffsetFields[i] = traf(out, runs.get(i));
        }
        out.end(moof);

        int mdat = out.begin("mdat");
        for (int i = 0; i < runs.size(); i++) {
            out.putU32(dataOffsetFields[i], out.position() - moof);
            for (Fmp4Sample sample : runs.get(i).samples()) {
                out.bytes(sample.data(), sample.offset(), sample.length());
            }
        }
        out.end(mdat);
        return out.toByteArray();
    }

    /** Writes one traf; returns where its trun's data_offset field is, to be filled once the moof size is known. */
    private static int traf(Mp4BoxWriter out, Fmp4TrackRun run) {
        List<Fmp4Sample> samples = run.samples();
        boolean sync = !run.track().isVideo();
        boolean compositionOffsets = samples.stream().anyMatch(sample -> sample.compositionOffset() != 0);

        int traf = out.begin("traf");
        int tfhd = out.beginFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF);
        out.u32(run.track().trackId());
        out.end(tfhd);
        int tfdt = out.beginFull("tfdt", TFDT_VERSION_64_BIT, 0);
        out.u64(samples.get(0).decodeTime());
        out.end(tfdt);

        int flags = TRUN_DATA_OFFSET | TRUN_SAMPLE_DURATION | TRUN_SAMPLE_SIZE | TRUN_SAMPLE_FLAGS
                | (compositionOffsets ? TRUN_SAMPLE_COMPOSITION_OFFSET : 0);
        int trun = out.beginFull("trun", TRUN_VERSION_SIGNED_OFFSETS, flags);
        out.u32(samples.size());
        int dataOffsetField = out.position();
        out.u32(0);
        for (Fmp4Sample sample : samples) {
            out.u32(sample.duration()).u32(sample.length());
            // Every audio frame of AAC and Opus is a random access point, whatever the frame's keyframe flag says.
            out.u32(Fmp4SampleFlags.of(sync || sample.keyframe()));
            if (compositionOffsets) {
                out.u32(sample.compositionOffset());
            }
        }
        out.end(trun);
        out.end(traf);
        return dataOffsetField;
    }

    /** Checks every run and sample before anything is written; returns the total media bytes. */
    private static long validate(List<Fmp4TrackRun> runs) throws Fmp4Exception {
        if (runs.isEmpty()) {
            throw new Fmp4Exception("a fragment needs at least one track run");
        }
        Set<Integer> trackIds = new HashSet<>();
        long mediaBytes = 0;
        for (Fmp4TrackRun run : runs) {
            Objects.requireNonNull(run, "track run");
            int trackId = run.track().trackId();
            if (!trackIds.add(trackId)) {
                throw new Fmp4Exception("track " + trackId + " has two runs in one fragment");
            }
            List<Fmp4Sample> samples = run.samples();
            if (samples.isEmpty()) {
                throw new Fmp4Exception("track " + trackId + ": a run needs at least one sample");
            }
            long expectedDecodeTime = samples.get(0).decodeTime();
            if (expectedDecodeTime < 0) {
                throw new Fmp4Exception("track " + trackId + ": decode time " + expectedDecodeTime + " is negative");
            }
            for (int i = 0; i < samples.size(); i++) {
                Fmp4Sample sample = samples.get(i);
                String where = "track " + trackId + " sample " + i + ": ";
                if (sample.duration() < 0) {
                    throw new Fmp4Exception(where + "duration " + sample.duration() + " is negative");
                }
                if (sample.data() == null || sample.offset() < 0 || sample.length() < 0
                        || sample.offset() > sample.data().length - sample.length()) {
                    throw new Fmp4Exception(where + "slice at " + sample.offset() + " of " + sample.length()
                            + " bytes lies outside its array of "
                            + (sample.data() == null ? "no" : sample.data().length) + " bytes");
                }
                if (sample.decodeTime() != expectedDecodeTime) {
                    throw new Fmp4Exception(where + "decodes at " + sample.decodeTime()
                            + " but the previous sample ends at " + expectedDecodeTime);
                }
                expectedDecodeTime += sample.duration();
                mediaBytes += sample.length();
            }
        }
        if (mediaBytes > MAX_MEDIA_BYTES) {
            throw new Fmp4Exception("a fragment of " + mediaBytes + " media bytes is too large");
        }
        return mediaBytes;
    }
}
