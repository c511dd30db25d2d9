package io.liveshard.protocol.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The AVCDecoderConfigurationRecord ("avcC", ISO/IEC 14496-15 5.3.3.1): the H.264 sequence header that RTMP and FLV
 * send as AVCPacketType 0 and MP4 stores in the avcC box. The optional high-profile extension
 * (chroma_format, bit depths, SPS extensions) is accepted on parse but not kept: everything LiveShard needs is in the
 * SPS itself.
 *
 * @param configurationVersion configurationVersion, always 1
 * @param profileIndication    AVCProfileIndication, a copy of the SPS profile_idc
 * @param profileCompatibility profile_compatibility, a copy of the SPS constraint flags byte
 * @param levelIndication      AVCLevelIndication, a copy of the SPS level_idc
 * @param nalLengthSize        lengthSizeMinusOne + 1: the size of the length prefix of every NAL unit (1, 2 or 4)
 * @param sps                  the sequence parameter set NAL units, header byte included
 * @param pps                  the picture parameter set NAL units, header byte included
 * @see <a href="https://www.iso.org/standard/83336.html">ISO/IEC 14496-15, 5.3.3.1</a>
 */
public record AvcDecoderConfigurationRecord(
        int configurationVersion,
        int profileIndication,
        int profileCompatibility,
        int levelIndication,
        int nalLengthSize,
        List<byte[]> sps,
        List<byte[]> pps) {

    /** numOfSequenceParameterSets is a 5-bit field (5.3.3.1.1). */
    public static final int MAX_SPS_COUNT = 31;

    /** numOfPictureParameterSets is an 8-bit field (5.3.3.1.1). */
    public static final int MAX_PPS_COUNT = 255;

    /** sequenceParameterSetLength and pictureParameterSetLength are 16-bit fields (5.3.3.1.1). */
    public static final int MAX_PARAMETER_SET_LENGTH = 0xFFFF;

    /** The fixed part before the first SPS: version, profile, compatibility, level, length size, SPS count. */
    private static final int FIXED_HEADER_SIZE = 6;

    public AvcDecoderConfigurationRecord {
        if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
            throw new IllegalArgumentException("NAL length size must be 1, 2 or 4, not " + nalLengthSize);
        }
        if (sps.size() > MAX_SPS_COUNT || pps.size() > MAX_PPS_COUNT) {
            throw new IllegalArgumentException("at most " + MAX_SPS_COUNT + " SPS and " + MAX_PPS_COUNT + " PPS");
        }
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
        for (byte[] nal : sps) {
            checkLength(nal);
        }
        for (byte[] nal : pps) {
            checkLength(nal);
        }
    }

    /**
     * Parses a record, e.g. the payload of an AVC sequence header tag.
     *
     * @throws CodecFormatException when the record is truncated, has another configurationVersion than 1 or a
     *                              length size of 3
     */
    public static AvcDecoderConfigurationRecord parse(byte[] data, int offset, int length)
            throws CodecFormatException {
        CodecByteCursor in = new CodecByteCursor(data, offset, length, "AVCDecoderConfigurationRecord");
        int version = in.u8("configurationVersion");
        if (version != 1) {
            throw new CodecFormatException("AVCDecoderConfigurationRecord version " + version + " is not 1");
        }
        int profile = in.u8("AVCProfileIndication");
        int compatibility = in.u8("profile_compatibility");
        int level = in.u8("AVCLevelIndication");
        int lengthSizeMinusOne = in.u8("lengthSizeMinusOne") & 0x03;
        if (lengthSizeMinusOne == 2) {
            throw new CodecFormatException("AVCDecoderConfigurationRecord NAL length size 3 is not allowed");
        }
        List<byte[]> sps = readParameterSets(in, in.u8("numOfSequenceParameterSets") & 0x1F, "SPS");
        List<byte[]> pps = readParameterSets(in, in.u8("numOfPictureParameterSets"), "PPS");
        return new AvcDecoderConfigurationRecord(version, profile, compatibility, level, lengthSizeMinusOne + 1,
                sps, pps);
    }

    /** The record in its wire form, without the high-profile extension; reserved bits are set to 1. */
    public byte[] encode() {
        int size = FIXED_HEADER_SIZE + 1;
        for (byte[] nal : sps) {
            size += 2 + nal.length;
        }
        for (byte[] nal : pps) {
            size += 2 + nal.length;
        }
        byte[] out = new byte[size];
        out[0] = (byte) configurationVersion;
        out[1] = (byte) profileIndication;
        out[2] = (byte) profileCompatibility;
        out[3] = (byte) levelIndication;
        out[4] = (byte) (0xFC | (nalLengthSize - 1));
        out[5] = (byte) (0xE0 | sps.size());
        int position = writeParameterSets(out, FIXED_HEADER_SIZE, sps);
        out[position] = (byte) pps.size();
        writeParameterSets(out, position + 1, pps);
        return out;
    }

    /** The first SPS, which describes the stream; a record without one cannot start a decoder. */
    public byte[] firstSps() throws CodecFormatException {
        if (sps.isEmpty()) {
            throw new CodecFormatException("AVCDecoderConfigurationRecord has no SPS");
        }
        return sps.get(0);
    }

    private static List<byte[]> readParameterSets(CodecByteCursor in, int count, String what)
            throws CodecFormatException {
        List<byte[]> sets = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            int nalLength = in.u16(what + " " + i + " length");
            sets.add(in.bytes(nalLength, what + " " + i + " of " + nalLength + " bytes"));
        }
        return sets;
    }

    private static int writeParameterSets(byte[] out, int position, List<byte[]> sets) {
        for (byte[] nal : sets) {
            out[position] = (byte) (nal.length >> 8);
            out[position + 1] = (byte) nal.length;
            System.arraycopy(nal, 0, out, position + 2, nal.length);
            position += 2 + nal.length;
        }
        return position;
    }

    private static void checkLength(byte[] nal) {
        if (nal.length > MAX_PARAMETER_SET_LENGTH) {
            throw new IllegalArgumentException("parameter set of " + nal.length + " bytes exceeds "
                    + MAX_PARAMETER_SET_LENGTH);
        }
    }

    /** Compares the parameter sets by content: records are values, and arrays compare by identity. */
    @Override
    public boolean equals(Object other) {
        return other instanceof AvcDecoderConfigurationRecord that
                && configurationVersion == that.configurationVersion
                && profileIndication == that.profileIndication
                && profileCompatibility == that.profileCompatibility
                && levelIndication == that.levelIndication
                && nalLengthSize == that.nalLengthSize
                && ParameterSets.sameContent(sps, that.sps)
                && ParameterSets.sameContent(pps, that.pps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configurationVersion, profileIndication, profileCompatibility, levelIndication,
                nalLengthSize, ParameterSets.contentHash(sps), ParameterSets.contentHash(pps));
    }

    @Override
    public String toString() {
        return "AvcDecoderConfigurationRecord[profile=" + profileIndication + " level=" + levelIndication
                + " nalLengthSize=" + nalLengthSize + " sps=" + sps.size() + " pps=" + pps.size() + "]";
    }
}
