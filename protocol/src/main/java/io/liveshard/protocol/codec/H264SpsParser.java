package io.liveshard.protocol.codec;

import java.util.Objects;

/**
 * Reads the picture size, profile, level and frame rate from an H.264 sequence parameter set NAL unit
 * (ITU-T H.264 7.3.2.1.1 seq_parameter_set_data and E.1.1 vui_parameters). Handles the high profiles'
 * chroma_format_idc and scaling lists, all three pic_order_cnt_type values, field coding and frame cropping.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, 7.3.2.1.1, 7.4.2.1.1 and E.1.1</a>
 */
public final class H264SpsParser {

    /** seq_parameter_set_id is in 0..31 (7.4.2.1.1). */
    public static final int MAX_SPS_ID = 31;

    /** log2_max_frame_num_minus4 and log2_max_pic_order_cnt_lsb_minus4 are in 0..12 (7.4.2.1.1). */
    public static final int MAX_LOG2_MINUS4 = 12;

    /** num_ref_frames_in_pic_order_cnt_cycle is in 0..255 (7.4.2.1.1). */
    public static final int MAX_REF_FRAMES_IN_POC_CYCLE = 255;

    /**
     * The widest and tallest picture any level allows, in macroblocks: sqrt(8 * MaxFS) with MaxFS = 139264 for
     * level 6.2 (Annex A, A.3.1 item f and Table A-1). Bounds the size arithmetic against hostile values.
     */
    public static final int MAX_DIMENSION_IN_MBS = 1055;

    /** VUI aspect_ratio_idc value announcing an explicit sar_width and sar_height (Table E-1). */
    private static final int EXTENDED_SAR = 255;

    private H264SpsParser() {
    }

    /**
     * Parses an SPS NAL unit, header byte included, as found in an AVCDecoderConfigurationRecord or after an Annex B
     * start code.
     *
     * @throws CodecFormatException when the NAL unit is not an SPS, is truncated or has out-of-range values
     */
    public static H264Sps parse(byte[] nal, int offset, int length) throws CodecFormatException {
        Objects.checkFromIndexSize(offset, length, nal.length);
        if (length < 1) {
            throw new CodecFormatException("empty SPS NAL unit");
        }
        int header = nal[offset] & 0xFF;
        if ((header & 0x80) != 0) {
            throw new CodecFormatException("NAL unit has forbidden_zero_bit set");
        }
        if ((header & 0x1F) != H264NalUnitType.SPS.code()) {
            throw new CodecFormatException("NAL unit type " + (header & 0x1F) + " is not an SPS (7)");
        }
        byte[] rbsp = H264Rbsp.unescape(nal, offset + 1, length - 1);
        return parseRbsp(new H264BitReader(rbsp, 0, rbsp.length));
    }

    private static H264Sps parseRbsp(H264BitReader in) throws CodecFormatException {
        int profileIdc = in.readBits(8);
        int constraintFlags = in.readBits(8);
        int levelIdc = in.readBits(8);
        checkRange("seq_parameter_set_id", in.readUnsignedExpGolomb(), MAX_SPS_ID);

        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = checkRange("chroma_format_idc", in.readUnsignedExpGolomb(), 3);
            if (chromaFormatIdc == 3) {
                separateColourPlane = in.readFlag();
            }
            checkRange("bit_depth_luma_minus8", in.readUnsignedExpGolomb(), 6);
            checkRange("bit_depth_chroma_minus8", in.readUnsignedExpGolomb(), 6);
            in.skipBits(1); // qpprime_y_zero_transform_bypass_flag
            if (in.readFlag()) { // seq_scaling_matrix_present_flag
                int lists = chromaFormatIdc == 3 ? 12 : 8;
                for (int i = 0; i < lists; i++) {
                    if (in.readFlag()) { // seq_scaling_list_present_flag[i]
                        skipScalingList(in, i < 6 ? 16 : 64);
                    }
                }
            }
        }

        checkRange("log2_max_frame_num_minus4", in.readUnsignedExpGolomb(), MAX_LOG2_MINUS4);
        skipPicOrderCount(in);
        in.readUnsignedExpGolomb(); // max_num_ref_frames
        in.skipBits(1); // gaps_in_frame_num_value_allowed_flag
        int widthInMbs = checkRange("pic_width_in_mbs_minus1", in.readUnsignedExpGolomb(),
                MAX_DIMENSION_IN_MBS - 1) + 1;
        int heightInMapUnits = checkRange("pic_height_in_map_units_minus1", in.readUnsignedExpGolomb(),
                MAX_DIMENSION_IN_MBS - 1) + 1;
        boolean frameMbsOnly = in.readFlag();
        if (!frameMbsOnly) {
            in.skipBits(1); // mb_adaptive_frame_field_flag
        }
        in.skipBits(1); // direct_8x8_inference_flag

        // 7.4.2.1.1: a map unit is a field macroblock pair when frames may be coded as fields.
        int frameHeightInMbs = (frameMbsOnly ? 1 : 2) * heightInMapUnits;
        int width = widthInMbs * 16;
        int height = frameHeightInMbs * 16;
        if (in.readFlag()) { // frame_cropping_flag
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int cropUnitX = chromaArrayType == 0 ? 1 : (chromaArrayType == 3 ? 1 : 2);
            int cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
            long left = in.readUnsignedExpGolomb();
            long right = in.readUnsignedExpGolomb();
            long top = in.readUnsignedExpGolomb();
            long bottom = in.readUnsignedExpGolomb();
            long croppedWidth = width - cropUnitX * (left + right);
            long croppedHeight = height - cropUnitY * (top + bottom);
            if (croppedWidth <= 0 || croppedHeight <= 0) {
                throw new CodecFormatException("frame cropping (" + left + ", " + right + ", " + top + ", " + bottom
                        + ") leaves nothing of a " + width + "x" + height + " picture");
            }
            width = (int) croppedWidth;
            height = (int) croppedHeight;
        }

        double frameRate = Double.NaN;
        if (in.readFlag()) { // vui_parameters_present_flag
            frameRate = readVuiFrameRate(in);
        }
        return new H264Sps(profileIdc, constraintFlags, levelIdc, chromaFormatIdc, width, height, frameRate);
    }

    /** The profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (7.3.2.1.1). */
    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    /** scaling_list() (7.3.2.1.1.1): only delta_scale is coded, until a zero nextScale ends the list early. */
    private static void skipScalingList(H264BitReader in, int size) throws CodecFormatException {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && nextScale != 0; j++) {
            int deltaScale = in.readSignedExpGolomb();
            if (deltaScale < -128 || deltaScale > 127) {
                throw new CodecFormatException("scaling list delta_scale " + deltaScale + " outside -128..127");
            }
            nextScale = (lastScale + deltaScale + 256) % 256;
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    private static void skipPicOrderCount(H264BitReader in) throws CodecFormatException {
        int picOrderCntType = checkRange("pic_order_cnt_type", in.readUnsignedExpGolomb(), 2);
        if (picOrderCntType == 0) {
            checkRange("log2_max_pic_order_cnt_lsb_minus4", in.readUnsignedExpGolomb(), MAX_LOG2_MINUS4);
        } else if (picOrderCntType == 1) {
            in.skipBits(1); // delta_pic_order_always_zero_flag
            in.readSignedExpGolomb(); // offset_for_non_ref_pic
            in.readSignedExpGolomb(); // offset_for_top_to_bottom_field
            int cycle = checkRange("num_ref_frames_in_pic_order_cnt_cycle", in.readUnsignedExpGolomb(),
                    MAX_REF_FRAMES_IN_POC_CYCLE);
            for (int i = 0; i < cycle; i++) {
                in.readSignedExpGolomb(); // offset_for_ref_frame[i]
            }
        }
    }

    /** Reads vui_parameters() (E.1.1) up to the timing info, the only part LiveShard uses. */
    private static double readVuiFrameRate(H264BitReader in) throws CodecFormatException {
        if (in.readFlag()) { // aspect_ratio_info_present_flag
            if (in.readBits(8) == EXTENDED_SAR) {
                in.skipBits(32); // sar_width, sar_height
            }
        }
        if (in.readFlag()) { // overscan_info_present_flag
            in.skipBits(1); // overscan_appropriate_flag
        }
        if (in.readFlag()) { // video_signal_type_present_flag
            in.skipBits(4); // video_format, video_full_range_flag
            if (in.readFlag()) { // colour_description_present_flag
                in.skipBits(24); // colour_primaries, transfer_characteristics, matrix_coefficients
            }
        }
        if (in.readFlag()) { // chroma_loc_info_present_flag
            in.readUnsignedExpGolomb(); // chroma_sample_loc_type_top_field
            in.readUnsignedExpGolomb(); // chroma_sample_loc_type_bottom_field
        }
        if (!in.readFlag()) { // timing_info_present_flag
            return Double.NaN;
        }
        long numUnitsInTick = in.readUnsigned32();
        long timeScale = in.readUnsigned32();
        if (numUnitsInTick == 0 || timeScale == 0) {
            return Double.NaN; // E.2.1 requires both > 0; a zero means the encoder did not know
        }
        // E.2.1: a tick is one field period, so a frame lasts two ticks.
        return timeScale / (2.0 * numUnitsInTick);
    }

    private static int checkRange(String field, int value, int max) throws CodecFormatException {
        if (value > max) {
            throw new CodecFormatException("SPS " + field + " " + value + " exceeds " + max);
        }
        return value;
    }
}
