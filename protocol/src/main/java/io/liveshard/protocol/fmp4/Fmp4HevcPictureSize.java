package io.liveshard.protocol.fmp4;

import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.H264BitReader;
import io.liveshard.protocol.codec.H264Rbsp;
import io.liveshard.protocol.codec.HevcDecoderConfigurationRecord;

/**
 * Reads the displayed picture size from an H.265 sequence parameter set (ITU-T H.265 7.3.2.2.1): the fields up to
 * the conformance window, skipping profile_tier_level (7.3.3) for every sub-layer. The tkhd and the visual sample
 * entry need the size; nothing else of the SPS matters to the muxer. H.265 uses the emulation prevention of H.264
 * and the same Exp-Golomb codes, so the H.264 RBSP helpers read it.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.265">ITU-T H.265, 7.3.2.2.1, 7.3.3 and Table 6-1</a>
 */
final class Fmp4HevcPictureSize {

    /** The 2-byte H.265 NAL unit header (7.3.1.2). */
    private static final int NAL_HEADER_SIZE = 2;

    /** general_profile_space through general_reserved_zero_43bits and general_inbld_flag (7.3.3). */
    private static final int PROFILE_BITS = 88;

    /** general_level_idc and sub_layer_level_idc (7.3.3). */
    private static final int LEVEL_BITS = 8;

    /** profile_tier_level always reserves room for 8 sub-layers (7.3.3). */
    private static final int MAX_SUB_LAYERS = 8;

    /** chroma_format_idc 4:4:4, which alone may code colour planes separately (7.4.3.2.1). */
    private static final int CHROMA_444 = 3;

    /**
     * The widest or tallest picture any level allows: Sqrt(MaxLumaPs * 8) with MaxLumaPs = 35 651 584 for level 6.2
     * (A.4.1 and the table of general tier and level limits). Bounds the size arithmetic against hostile values.
     */
    static final int MAX_DIMENSION = 16_888;

    private Fmp4HevcPictureSize() {
    }

    /** {width, height} after the conformance window, from an SPS NAL unit with its header. */
    static int[] parse(byte[] nal) throws CodecFormatException {
        if (nal.length <= NAL_HEADER_SIZE) {
            throw new CodecFormatException("H.265 SPS of " + nal.length + " bytes is too short");
        }
        int nalType = (nal[0] >> 1) & 0x3F;
        if (nalType != HevcDecoderConfigurationRecord.NAL_SPS) {
            throw new CodecFormatException("H.265 NAL unit type " + nalType + " is not an SPS (33)");
        }
        byte[] rbsp = H264Rbsp.unescape(nal, NAL_HEADER_SIZE, nal.length - NAL_HEADER_SIZE);
        H264BitReader in = new H264BitReader(rbsp, 0, rbsp.length);
        in.skipBits(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = in.readBits(3);
        in.skipBits(1); // sps_temporal_id_nesting_flag
        skipProfileTierLevel(in, maxSubLayersMinus1);
        in.readUnsignedExpGolomb(); // sps_seq_parameter_set_id
        int chromaFormatIdc = in.readUnsignedExpGolomb();
        if (chromaFormatIdc > CHROMA_444) {
            throw new CodecFormatException("H.265 chroma_format_idc " + chromaFormatIdc + " is out of range");
        }
        boolean separatePlanes = chromaFormatIdc == CHROMA_444 && in.readFlag();
        int width = in.readUnsignedExpGolomb();
        int height = in.readUnsignedExpGolomb();
        if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new CodecFormatException("H.265 picture " + width + "x" + height + " is outside 1.."
                    + MAX_DIMENSION);
        }
        if (in.readFlag()) { // conformance_window_flag
            // Table 6-1: offsets count in chroma samples; 4:2:0 halves both directions, 4:2:2 only the width.
            boolean subsampledChroma = !separatePlanes && (chromaFormatIdc == 1 || chromaFormatIdc == 2);
            int subWidth = subsampledChroma ? 2 : 1;
            int subHeight = !separatePlanes && chromaFormatIdc == 1 ? 2 : 1;
            long left = in.readUnsignedExpGolomb();
            long right = in.readUnsignedExpGolomb();
            long top = in.readUnsignedExpGolomb();
            long bottom = in.readUnsignedExpGolomb();
            long croppedWidth = width - subWidth * (left + right);
            long croppedHeight = height - subHeight * (top + bottom);
            if (croppedWidth < 1 || croppedHeight < 1) {
                throw new CodecFormatException("H.265 conformance window leaves no picture of " + width + "x"
                        + height);
            }
            return new int[] {(int) croppedWidth, (int) croppedHeight};
        }
        return new int[] {width, height};
    }

    private static void skipProfileTierLevel(H264BitReader in, int maxSubLayersMinus1) throws CodecFormatException {
        in.skipBits(PROFILE_BITS + LEVEL_BITS);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = in.readFlag();
            levelPresent[i] = in.readFlag();
        }
        if (maxSubLayersMinus1 > 0) {
            in.skipBits(2L * (MAX_SUB_LAYERS - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            in.skipBits((profilePresent[i] ? PROFILE_BITS : 0) + (levelPresent[i] ? LEVEL_BITS : 0));
        }
    }
}
