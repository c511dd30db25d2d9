package io.liveshard.protocol.mpegts;

import java.util.List;

/**
 * Builds the two Program Specific Information sections a single-program transport stream needs: the Program
 * Association Table (ISO/IEC 13818-1 2.4.4.3) pointing at program 1's PMT, and the Program Map Table (2.4.4.8)
 * listing its elementary streams and PCR PID. Each section ends with the CRC_32 of {@link MpegTsCrc32} and fits in
 * one TS packet (the PMT has at most a few streams).
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1, 2.4.4</a>
 */
final class MpegTsPsi {

    /** table_id of a program_association_section (Table 2-31). */
    static final int TABLE_ID_PAT = 0x00;

    /** table_id of a TS_program_map_section (Table 2-31). */
    static final int TABLE_ID_PMT = 0x02;

    /** The program number of the one program LiveShard writes; 0 would mean the network PID (2.4.4.5). */
    static final int PROGRAM_NUMBER = 1;

    /** transport_stream_id: only meaningful inside a network of multiplexes, so any fixed value will do (2.4.4.5). */
    static final int TRANSPORT_STREAM_ID = 1;

    /** version_number is a 5-bit field that wraps (2.4.4.5). */
    static final int VERSION_MODULO = 32;

    /** The CRC_32 that ends every section. */
    private static final int CRC_SIZE = 4;

    /** One elementary stream of the program: what it carries and on which PID. */
    record ElementaryStream(MpegTsStreamType type, int pid) {
    }

    private MpegTsPsi() {
    }

    /** The PAT: program 1's PMT is on {@link MpegTsPids#PMT}. */
    static byte[] pat() {
        // transport_stream_id (2), version/current_next (1), section numbers (2), one program (4), then CRC_32.
        byte[] section = new byte[3 + 5 + 4 + CRC_SIZE];
        writeHeader(section, TABLE_ID_PAT, TRANSPORT_STREAM_ID, 0);
        putU16(section, 8, PROGRAM_NUMBER);
        putU16(section, 10, 0xE000 | MpegTsPids.PMT); // reserved '111', program_map_PID
        writeCrc(section);
        return section;
    }

    /**
     * The PMT of program 1.
     *
     * @param streams the elementary streams, in the order they should be listed
     * @param pcrPid  the PID whose adaptation fields carry the PCR, or {@link MpegTsPids#NULL} for none
     * @param version version_number; only its low 5 bits are written, so it may simply count up
     */
    static byte[] pmt(List<ElementaryStream> streams, int pcrPid, int version) {
        // program_number (2), version (1), section numbers (2), PCR_PID (2), program_info_length (2), streams, CRC.
        byte[] section = new byte[3 + 9 + 5 * streams.size() + CRC_SIZE];
        writeHeader(section, TABLE_ID_PMT, PROGRAM_NUMBER, version);
        putU16(section, 8, 0xE000 | pcrPid); // reserved '111', PCR_PID
        putU16(section, 10, 0xF000); // reserved '1111', program_info_length 0: no program descriptors
        int position = 12;
        for (ElementaryStream stream : streams) {
            section[position] = (byte) stream.type().code();
            putU16(section, position + 1, 0xE000 | stream.pid()); // reserved '111', elementary_PID
            putU16(section, position + 3, 0xF000); // reserved '1111', ES_info_length 0
            position += 5;
        }
        writeCrc(section);
        return section;
    }

    /** table_id, section_syntax_indicator and section_length, the 16-bit id, version and section numbers. */
    private static void writeHeader(byte[] section, int tableId, int idExtension, int version) {
        int sectionLength = section.length - 3; // counts the bytes after the section_length field, CRC included
        section[0] = (byte) tableId;
        // section_syntax_indicator 1, '0', reserved '11', then the 12-bit section_length.
        putU16(section, 1, 0xB000 | sectionLength);
        putU16(section, 3, idExtension);
        // reserved '11', version_number, current_next_indicator 1: this table applies now.
        section[5] = (byte) (0xC1 | (Math.floorMod(version, VERSION_MODULO) << 1));
        section[6] = 0; // section_number
        section[7] = 0; // last_section_number
    }

    private static void writeCrc(byte[] section) {
        int crc = MpegTsCrc32.compute(section, 0, section.length - CRC_SIZE);
        int position = section.length - CRC_SIZE;
        section[position] = (byte) (crc >>> 24);
        section[position + 1] = (byte) (crc >>> 16);
        section[position + 2] = (byte) (crc >>> 8);
        section[position + 3] = (byte) crc;
    }

    private static void putU16(byte[] data, int position, int value) {
        data[position] = (byte) (value >>> 8);
        data[position + 1] = (byte) value;
    }
}
