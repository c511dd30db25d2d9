package io.liveshard.protocol.codec;

/**
 * What LiveShard needs from an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1), as read by
 * {@link H264SpsParser}.
 *
 * @param profileIdc       profile_idc (66 baseline, 77 main, 100 high, ...)
 * @param constraintFlags  the byte holding constraint_set0_flag..constraint_set5_flag and reserved_zero_2bits
 * @param levelIdc         level_idc (level x 10, e.g. 31 for 3.1)
 * @param chromaFormatIdc  chroma_format_idc (0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4); 1 when the profile omits it
 * @param width            displayed width in luma samples, after frame cropping
 * @param height           displayed height in luma samples, after frame cropping, for whole frames also when the
 *                         stream is coded as fields
 * @param frameRate        frames per second from the VUI timing info ({@code time_scale / (2 * num_units_in_tick)}),
 *                         or NaN when the SPS carries none
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, 7.3.2.1.1 and E.1.1</a>
 */
public record H264Sps(
        int profileIdc,
        int constraintFlags,
        int levelIdc,
        int chromaFormatIdc,
        int width,
        int height,
        double frameRate) {

    /** The RFC 6381 codecs parameter, e.g. {@code avc1.64001f}, for HLS playlists and MSE. */
    public String rfc6381Codec() {
        return String.format("avc1.%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
    }
}
