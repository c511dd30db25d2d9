package io.liveshard.protocol.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The HEVCDecoderConfigurationRecord ("hvcC", ISO/IEC 14496-15 8.3.3.1): the H.265 sequence header of legacy
 * CodecID 12 and Enhanced RTMP hvc1 SequenceStart tags. Parse only: the profile, level and chroma fields an output
 * needs, the NAL length size, and the VPS, SPS and PPS arrays (other arrays, such as SEI, are skipped).
 *
 * @param generalProfileSpace general_profile_space
 * @param generalTierFlag     general_tier_flag (0 main tier, 1 high tier)
 * @param generalProfileIdc   general_profile_idc (1 Main, 2 Main 10, ...)
 * @param generalProfileCompatibilityFlags general_profile_compatibility_flags
 * @param generalLevelIdc     general_level_idc (level x 30, e.g. 93 for 3.1)
 * @param chromaFormat        chromaFormat (chroma_format_idc of the SPS)
 * @param nalLengthSize       lengthSizeMinusOne + 1 (1, 2 or 4)
 * @param vps                 video parameter sets (NAL unit type 32), header included
 * @param sps                 sequence parameter sets (type 33)
 * @param pps                 picture parameter sets (type 34)
 * @see <a href="https://www.iso.org/standard/83336.html">ISO/IEC 14496-15, 8.3.3.1</a>
 */
public record HevcDecoderConfigurationRecord(
        int generalProfileSpace,
        int generalTierFlag,
        int generalProfileIdc,
        long generalProfileCompatibilityFlags,
        int generalLevelIdc,
        int chromaFormat,
        int nalLengthSize,
        List<byte[]> vps,
        List<byte[]> sps,
        List<byte[]> pps) {

    /** H.265 nal_unit_type values of the parameter sets (ITU-T H.265 Table 7-1). */
    public static final int NAL_VPS = 32;
    public static final int NAL_SPS = 33;
    public static final int NAL_PPS = 34;

    public HevcDecoderConfigurationRecord {
        vps = List.copyOf(vps);
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /**
     * Parses a record, e.g. the payload of an HEVC sequence header tag.
     *
     * @throws CodecFormatException when the record is truncated, has another configurationVersion than 1 or a
     *                              length size of 3
     */
    public static HevcDecoderConfigurationRecord parse(byte[] data, int offset, int length)
            throws CodecFormatException {
        CodecByteCursor in = new CodecByteCursor(data, offset, length, "HEVCDecoderConfigurationRecord");
        int version = in.u8("configurationVersion");
        if (version != 1) {
            throw new CodecFormatException("HEVCDecoderConfigurationRecord version " + version + " is not 1");
        }
        int profile = in.u8("general_profile_idc");
        long compatibility = ((long) in.u16("general_profile_compatibility_flags") << 16)
                | in.u16("general_profile_compatibility_flags");
        in.skip(6, "general_constraint_indicator_flags");
        int level = in.u8("general_level_idc");
        in.skip(3, "min_spatial_segmentation_idc and parallelismType");
        int chromaFormat = in.u8("chromaFormat") & 0x03;
        in.skip(4, "bit depths and avgFrameRate");
        int lengthSizeMinusOne = in.u8("lengthSizeMinusOne") & 0x03;
        if (lengthSizeMinusOne == 2) {
            throw new CodecFormatException("HEVCDecoderConfigurationRecord NAL length size 3 is not allowed");
        }
        int arrays = in.u8("numOfArrays");
        List<byte[]> vps = new ArrayList<>(1);
        List<byte[]> sps = new ArrayList<>(1);
        List<byte[]> pps = new ArrayList<>(1);
        for (int array = 1; array <= arrays; array++) {
            int nalType = in.u8("NAL_unit_type of array " + array) & 0x3F;
            int count = in.u16("numNalus of array " + array);
            List<byte[]> target = switch (nalType) {
                case NAL_VPS -> vps;
                case NAL_SPS -> sps;
                case NAL_PPS -> pps;
                default -> null;
            };
            for (int i = 1; i <= count; i++) {
                int nalLength = in.u16("nalUnitLength " + i + " of array " + array);
                String field = "NAL unit " + i + " of array " + array + " (" + nalLength + " bytes)";
                if (target == null) {
                    in.skip(nalLength, field);
                } else {
                    target.add(in.bytes(nalLength, field));
                }
            }
        }
        return new HevcDecoderConfigurationRecord(profile >> 6, (profile >> 5) & 1, profile & 0x1F, compatibility,
                level, chromaFormat, lengthSizeMinusOne + 1, vps, sps, pps);
    }

    /** Compares the parameter sets by content: records are values, and arrays compare by identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof HevcDecoderConfigurationRecord that
                && generalProfileSpace == that.generalProfileSpace
                && generalTierFlag == that.generalTierFlag
                && generalProfileIdc == that.generalProfileIdc
                && generalProfileCompatibilityFlags == that.generalProfileCompatibilityFlags
                && generalLevelIdc == that.generalLevelIdc
                && chromaFormat == that.chromaFormat
                && nalLengthSize == that.nalLengthSize
                && ParameterSets.sameContent(vps, that.vps)
                && ParameterSets.sameContent(sps, that.sps)
                && ParameterSets.sameContent(pps, that.pps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(generalProfileSpace, generalTierFlag, generalProfileIdc, generalProfileCompatibilityFlags,
                generalLevelIdc, chromaFormat, nalLengthSize, ParameterSets.contentHash(vps),
                ParameterSets.contentHash(sps), ParameterSets.contentHash(pps));
    }

    @Override
    public String toString() {
        return "HevcDecoderConfigurationRecord[profile=" + generalProfileIdc + " tier=" + generalTierFlag + " level="
                + generalLevelIdc + " nalLengthSize=" + nalLengthSize + " vps=" + vps.size() + " sps=" + sps.size()
                + " pps=" + pps.size() + "]";
    }
}
