package io.liveshard.protocol.mpegts;

/**
 * The stream_type of a PMT elementary stream entry (ISO/IEC 13818-1 2.4.4.9, Table 2-34) for the codecs LiveShard
 * writes into MPEG-TS.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1, Table 2-34</a>
 */
public enum MpegTsStreamType {
    /** AVC video stream (ITU-T H.264 | ISO/IEC 14496-10), Annex B byte stream with access unit delimiters. */
    H264(0x1B),
    /** HEVC video stream (ITU-T H.265 | ISO/IEC 23008-2). */
    H265(0x24),
    /** ISO/IEC 13818-7 audio with ADTS transport syntax: AAC, one ADTS frame per access unit. */
    AAC_ADTS(0x0F);

    private final int code;

    MpegTsStreamType(int code) {
        this.code = code;
    }

    /** The 8-bit stream_type value. */
    public int code() {
        return code;
    }

    /** The type for a stream_type value; values LiveShard does not write are refused. */
    public static MpegTsStreamType fromCode(int code) throws MpegTsException {
        for (MpegTsStreamType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new MpegTsException("stream_type 0x" + Integer.toHexString(code) + " is not one LiveShard writes");
    }
}
