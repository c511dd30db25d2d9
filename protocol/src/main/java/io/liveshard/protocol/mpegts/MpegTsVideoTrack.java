package io.liveshard.protocol.mpegts;

import io.liveshard.protocol.codec.AnnexB;
import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.AvccNalConsumer;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.H264NalUnitType;
import io.liveshard.protocol.codec.HevcDecoderConfigurationRecord;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;

import java.util.ArrayList;
import java.util.List;

/**
 * The video track of a transport stream: the codec configuration of the last video config frame, and the conversion
 * of each length-prefixed (AVCC) access unit into the Annex B access unit a PES carries.
 *
 * <p>The Annex B access unit starts with an access unit delimiter, which ISO/IEC 13818-1 2.14 (H.264) and 2.17
 * (H.265) require in every access unit; delimiters the publisher sent are dropped so there is exactly one, first.
 * Keyframes get the parameter sets of the configuration in front (after the delimiter) unless the frame carries an
 * SPS itself: a transport stream has no out-of-band configuration, and an HLS segment must decode on its own.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.264">ITU-T H.264, 7.4.1.2.3 (order of NAL units)</a>
 * @see <a href="https://www.itu.int/rec/T-REC-H.265">ITU-T H.265, 7.4.2.4.4</a>
 */
final class MpegTsVideoTrack {

    /** H.264 access_unit_delimiter with primary_pic_type 7 (any slice type), then rbsp_trailing_bits (7.3.2.4). */
    private static final byte[] H264_AUD = {0, 0, 0, 1, 0x09, (byte) 0xF0};

    /**
     * H.265 access_unit_delimiter: NAL header type 35, nuh_layer_id 0, nuh_temporal_id_plus1 1, then pic_type 2
     * (I, P and B slices may follow) and rbsp_trailing_bits (7.3.2.5).
     */
    private static final byte[] H265_AUD = {0, 0, 0, 1, 0x46, 0x01, 0x50};

    /** H.265 nal_unit_type of an access unit delimiter (Table 7-1). */
    private static final int H265_NAL_AUD = 35;

    /** H.265 IRAP pictures, where decoding can start, are nal_unit_type 16 to 23 (BLA, IDR, CRA; 7.4.2.2). */
    private static final int H265_FIRST_IRAP = 16;
    private static final int H265_LAST_IRAP = 23;

    private static final int START_CODE_SIZE = 4;

    /** Room kept under the array size limit, as the JDK collections do. */
    private static final long MAX_ACCESS_UNIT_SIZE = Integer.MAX_VALUE - 8;

    private final MediaCodec codec;
    private final int nalLengthSize;
    /** VPS (H.265 only), SPS and PPS NAL units, in the order they go in front of a keyframe. */
    private final List<byte[]> parameterSets;

    private MpegTsVideoTrack(MediaCodec codec, int nalLengthSize, List<byte[]> parameterSets) {
        this.codec = codec;
        this.nalLengthSize = nalLengthSize;
        this.parameterSets = List.copyOf(parameterSets);
    }

    /**
     * The track described by an H.264 or H.265 config frame.
     *
     * @throws MpegTsException when the decoder configuration record is malformed or truncated
     */
    static MpegTsVideoTrack fromConfig(MediaFrame config) throws MpegTsException {
        try {
            if (config.codec() == MediaCodec.H264) {
                AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(config.body(),
                        config.payloadOffset(), config.payloadLength());
                List<byte[]> sets = new ArrayList<>(record.sps());
                sets.addAll(record.pps());
                return new MpegTsVideoTrack(MediaCodec.H264, record.nalLengthSize(), sets);
            }
            HevcDecoderConfigurationRecord record = HevcDecoderConfigurationRecord.parse(config.body(),
                    config.payloadOffset(), config.payloadLength());
            List<byte[]> sets = new ArrayList<>(record.vps());
            sets.addAll(record.sps());
            sets.addAll(record.pps());
            return new MpegTsVideoTrack(MediaCodec.H265, record.nalLengthSize(), sets);
        } catch (CodecFormatException e) {
            throw new MpegTsException(config.codec() + " config at dts " + config.dts() + " ms: " + e.getMessage());
        }
    }

    MediaCodec codec() {
        return codec;
    }

    MpegTsStreamType streamType() {
        return codec == MediaCodec.H264 ? MpegTsStreamType.H264 : MpegTsStreamType.H265;
    }

    /**
     * The frame as an Annex B access unit: delimiter, parameter sets for a keyframe, then the frame's NAL units with
     * 4-byte start codes. Null when the frame has no NAL units (such as an end-of-sequence tag).
     *
     * @throws MpegTsException when a length prefix is truncated or overruns the frame
     */
    byte[] accessUnit(MediaFrame frame) throws MpegTsException {
        Scan scan = new Scan();
        try {
            AnnexB.forEachAvccNal(frame.body(), frame.payloadOffset(), frame.payloadLength(), nalLengthSize, scan);
        } catch (CodecFormatException e) {
            throw new MpegTsException(codec + " frame at dts " + frame.dts() + " ms: " + e.getMessage());
        }
        if (scan.nalUnits == 0) {
            return null;
        }
        boolean withParameterSets = (frame.keyframe() || scan.randomAccess) && !scan.parameterSets;
        byte[] delimiter = codec == MediaCodec.H264 ? H264_AUD : H265_AUD;
        long size = delimiter.length + scan.bytes;
        if (withParameterSets) {
            for (byte[] set : parameterSets) {
                size += START_CODE_SIZE + set.length;
            }
        }
        if (size > MAX_ACCESS_UNIT_SIZE) {
            throw new MpegTsException(codec + " frame at dts " + frame.dts() + " ms: Annex B form of " + size
                    + " bytes is too large");
        }
        byte[] out = new byte[(int) size];
        System.arraycopy(delimiter, 0, out, 0, delimiter.length);
        int[] position = {delimiter.length};
        if (withParameterSets) {
            for (byte[] set : parameterSets) {
                position[0] = writeNal(out, position[0], set, 0, set.length);
            }
        }
        try {
            AnnexB.forEachAvccNal(frame.body(), frame.payloadOffset(), frame.payloadLength(), nalLengthSize,
                    (data, offset, length) -> {
                        if (!isDelimiter(data[offset])) {
                            position[0] = writeNal(out, position[0], data, offset, length);
                        }
                    });
        } catch (CodecFormatException e) {
            throw new IllegalStateException("the frame was validated by the first pass", e);
        }
        return out;
    }

    private static int writeNal(byte[] out, int position, byte[] nal, int offset, int length) {
        out[position + START_CODE_SIZE - 1] = 1; // 00 00 00 01; the array starts zeroed
        System.arraycopy(nal, offset, out, position + START_CODE_SIZE, length);
        return position + START_CODE_SIZE + length;
    }

    private boolean isDelimiter(byte header) {
        return codec == MediaCodec.H264
                ? H264NalUnitType.ofHeader(header) == H264NalUnitType.ACCESS_UNIT_DELIMITER
                : h265Type(header) == H265_NAL_AUD;
    }

    private static int h265Type(byte header) {
        return (header >> 1) & 0x3F;
    }

    /** First pass over an access unit: what it contains and how large its Annex B form is. */
    private final class Scan implements AvccNalConsumer {
        int nalUnits;
        long bytes;
        boolean parameterSets;
        boolean randomAccess;

        @Override
        public void accept(byte[] data, int offset, int length) {
            byte header = data[offset];
            if (isDelimiter(header)) {
                return;
            }
            nalUnits++;
            bytes += START_CODE_SIZE + length;
            if (codec == MediaCodec.H264) {
                H264NalUnitType type = H264NalUnitType.ofHeader(header);
                parameterSets |= type == H264NalUnitType.SPS;
                randomAccess |= type == H264NalUnitType.SLICE_IDR;
            } else {
                int type = h265Type(header);
                parameterSets |= type == HevcDecoderConfigurationRecord.NAL_SPS;
                randomAccess |= type >= H265_FIRST_IRAP && type <= H265_LAST_IRAP;
            }
        }
    }
}
