package io.liveshard.protocol.fmp4;

/**
 * The 32-bit sample_flags of trun, trex and tfhd (ISO/IEC 14496-12, 8.8.3.1): is_leading, sample_depends_on,
 * sample_is_depended_on, sample_has_redundancy, sample_padding_value, sample_is_non_sync_sample and
 * sample_degradation_priority. Players (hls.js, Safari, MSE) use them to find where playback can start.
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, 8.8.3.1 and 8.6.4.3</a>
 */
public final class Fmp4SampleFlags {

    /** sample_depends_on = 1: this sample depends on others (not an I picture), bits 25..24 (8.6.4.3). */
    public static final int DEPENDS_ON_OTHERS = 1 << 24;

    /** sample_depends_on = 2: this sample does not depend on others (an I picture), bits 25..24 (8.6.4.3). */
    public static final int DEPENDS_ON_NONE = 2 << 24;

    /** sample_is_non_sync_sample, bit 16: set for every sample a decoder cannot start from (8.8.3.1). */
    public static final int NON_SYNC_SAMPLE = 1 << 16;

    /** A sync sample: independent, decoding can start here. */
    public static final int SYNC = DEPENDS_ON_NONE;

    /** A non-sync sample: depends on earlier samples. */
    public static final int NON_SYNC = DEPENDS_ON_OTHERS | NON_SYNC_SAMPLE;

    private Fmp4SampleFlags() {
    }

    /** The flags of a sync or non-sync sample. */
    public static int of(boolean sync) {
        return sync ? SYNC : NON_SYNC;
    }
}
