package io.liveshard.protocol.mpegts;

/**
 * Builds PES packet headers (ISO/IEC 13818-1 2.4.3.6 and 2.4.3.7) for one access unit per PES packet: the start code
 * prefix, stream_id, PES_packet_length, and an optional header carrying the PTS and, when it differs, the DTS.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1, 2.4.3.6</a>
 */
final class MpegTsPes {

    /** stream_id of the first video stream: '1110 xxxx' (Table 2-22). */
    static final int STREAM_ID_VIDEO = 0xE0;

    /** stream_id of the first audio stream: '110x xxxx' (Table 2-22). */
    static final int STREAM_ID_AUDIO = 0xC0;

    /**
     * The largest PES_packet_length: a 16-bit field. Video PES packets may be longer and then write 0, "neither
     * specified nor bounded", which 2.4.3.7 allows only for video in a transport stream.
     */
    static final int MAX_PES_PACKET_LENGTH = 0xFFFF;

    /** Length of an encoded PTS or DTS field (2.4.3.7). */
    static final int TIMESTAMP_SIZE = 5;

    /** packet_start_code_prefix (3), stream_id (1), PES_packet_length (2). */
    private static final int PACKET_HEADER_SIZE = 6;

    /** The two flag bytes and PES_header_data_length that follow PES_packet_length. */
    private static final int OPTIONAL_HEADER_SIZE = 3;

    /** '10', not scrambled, no priority, data_alignment_indicator 1 (the payload starts with an access unit). */
    private static final int FLAGS_ALIGNED = 0x84;

    /** PTS_DTS_flags values (2.4.3.7) and the 4-bit prefixes of the encoded fields. */
    private static final int PTS_ONLY_FLAGS = 0x80;
    private static final int PTS_AND_DTS_FLAGS = 0xC0;
    private static final int PREFIX_PTS_ONLY = 0b0010;
    private static final int PREFIX_PTS_WITH_DTS = 0b0011;
    private static final int PREFIX_DTS = 0b0001;

    private MpegTsPes() {
    }

    /**
     * The PES header for a payload of {@code payloadLength} bytes.
     *
     * @param streamId      {@link #STREAM_ID_VIDEO} or {@link #STREAM_ID_AUDIO}
     * @param pts           presentation time, 90 kHz, unwrapped (wrapped here)
     * @param dts           decode time, 90 kHz, unwrapped; written only when it differs from {@code pts}
     * @param payloadLength bytes that follow the header
     * @throws MpegTsException when an audio PES would exceed {@link #MAX_PES_PACKET_LENGTH}
     */
    static byte[] header(int streamId, long pts, long dts, long payloadLength) throws MpegTsException {
        boolean withDts = pts != dts;
        int headerDataLength = withDts ? 2 * TIMESTAMP_SIZE : TIMESTAMP_SIZE;
        byte[] header = new byte[PACKET_HEADER_SIZE + OPTIONAL_HEADER_SIZE + headerDataLength];
        long pesPacketLength = OPTIONAL_HEADER_SIZE + headerDataLength + payloadLength;
        if (pesPacketLength > MAX_PES_PACKET_LENGTH) {
            if (streamId != STREAM_ID_VIDEO) {
                throw new MpegTsException("PES packet of " + pesPacketLength + " bytes exceeds "
                        + MAX_PES_PACKET_LENGTH + ", allowed for video only");
            }
            pesPacketLength = 0;
        }
        header[2] = 1; // packet_start_code_prefix 0x000001
        header[3] = (byte) streamId;
        header[4] = (byte) (pesPacketLength >>> 8);
        header[5] = (byte) pesPacketLength;
        header[6] = (byte) FLAGS_ALIGNED;
        header[7] = (byte) (withDts ? PTS_AND_DTS_FLAGS : PTS_ONLY_FLAGS);
        header[8] = (byte) headerDataLength;
        writeTimestamp(header, 9, withDts ? PREFIX_PTS_WITH_DTS : PREFIX_PTS_ONLY, pts);
        if (withDts) {
            writeTimestamp(header, 9 + TIMESTAMP_SIZE, PREFIX_DTS, dts);
        }
        return header;
    }

    /**
     * Writes a 33-bit timestamp as 3 + 15 + 15 bits, each group followed by a marker bit, after a 4-bit prefix.
     */
    static void writeTimestamp(byte[] out, int position, int prefix, long ticks) {
        long value = MpegTsClock.wrap(ticks);
        out[position] = (byte) ((prefix << 4) | ((value >>> 29) & 0x0E) | 1);
        out[position + 1] = (byte) (value >>> 22);
        out[position + 2] = (byte) (((value >>> 14) & 0xFE) | 1);
        out[position + 3] = (byte) (value >>> 7);
        out[position + 4] = (byte) (((value << 1) & 0xFE) | 1);
    }
}
