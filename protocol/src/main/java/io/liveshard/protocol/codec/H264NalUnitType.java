package io.liveshard.protocol.codec;

import java.util.Arrays;

/**
 * The nal_unit_type of an H.264 NAL unit header (ITU-T H.264 7.4.1, Table 7-1). All 32 values occur in the wild
 * (24-31 are used by RTP payload formats), so {@link #of(int)} maps the unnamed ones to {@link #OTHER};
 * {@link #fromCode(int)} is for callers that must refuse them.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, 7.3.1 and Table 7-1</a>
 */
public enum H264NalUnitType {
    SLICE_NON_IDR(1),
    SLICE_DATA_PARTITION_A(2),
    SLICE_DATA_PARTITION_B(3),
    SLICE_DATA_PARTITION_C(4),
    SLICE_IDR(5),
    SEI(6),
    SPS(7),
    PPS(8),
    ACCESS_UNIT_DELIMITER(9),
    END_OF_SEQUENCE(10),
    END_OF_STREAM(11),
    FILLER_DATA(12),
    SPS_EXTENSION(13),
    PREFIX_NAL(14),
    SUBSET_SPS(15),
    DEPTH_PARAMETER_SET(16),
    AUXILIARY_SLICE(19),
    SLICE_EXTENSION(20),
    SLICE_EXTENSION_DEPTH(21),
    /** Unspecified (0, 24-31) or reserved (17, 18, 22, 23). */
    OTHER(-1);

    private static final H264NalUnitType[] BY_CODE = new H264NalUnitType[32];

    static {
        Arrays.fill(BY_CODE, OTHER);
        for (H264NalUnitType type : values()) {
            if (type != OTHER) {
                BY_CODE[type.code] = type;
            }
        }
    }

    private final int code;

    H264NalUnitType(int code) {
        this.code = code;
    }

    /** The nal_unit_type value; -1 for {@link #OTHER}. */
    public int code() {
        return code;
    }

    /** True for the types that carry coded slices of the primary picture (1-5). */
    public boolean isSlice() {
        return code >= 1 && code <= 5;
    }

    /** The type of a NAL unit value 0..31; unnamed values give {@link #OTHER}. */
    public static H264NalUnitType of(int nalUnitType) {
        return nalUnitType >= 0 && nalUnitType < BY_CODE.length ? BY_CODE[nalUnitType] : OTHER;
    }

    /** The type of the NAL unit whose first (header) byte this is. */
    public static H264NalUnitType ofHeader(byte header) {
        return BY_CODE[header & 0x1F];
    }

    /** The named type for this value; unspecified and reserved values are refused. */
    public static H264NalUnitType fromCode(int code) throws CodecFormatException {
        H264NalUnitType type = of(code);
        if (type == OTHER) {
            throw new CodecFormatException("unspecified or reserved H.264 nal_unit_type " + code);
        }
        return type;
    }
}
