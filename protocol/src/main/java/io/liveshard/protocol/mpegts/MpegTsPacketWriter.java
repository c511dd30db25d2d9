package io.liveshard.protocol.mpegts;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Cuts PES packets and PSI sections into 188-byte transport stream packets (ISO/IEC 13818-1 2.4.3.2): sync byte,
 * payload_unit_start_indicator on the first packet of each unit, PID, and a continuity_counter per PID.
 *
 * <p>A PES packet that does not fill its last TS packet is padded with adaptation field stuffing (2.4.3.5), because
 * a PES payload has no room for filler bytes; a PSI section is followed by 0xFF bytes instead, which 2.4.4.1 allows
 * after the last section. The first packet of a PES can carry a PCR and the random_access_indicator in its
 * adaptation field.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1, 2.4.3</a>
 */
final class MpegTsPacketWriter {

    /** Every transport stream packet is 188 bytes (2.4.3.2). */
    static final int TS_PACKET_SIZE = 188;

    /** sync_byte, the first byte of every packet (2.4.3.3). */
    static final int SYNC_BYTE = 0x47;

    /** sync byte, flags and PID, scrambling/adaptation/continuity (2.4.3.2). */
    static final int TS_HEADER_SIZE = 4;

    /** Payload bytes of a packet without adaptation field. */
    static final int MAX_PAYLOAD_SIZE = TS_PACKET_SIZE - TS_HEADER_SIZE;

    /** continuity_counter is a 4-bit field that wraps (2.4.3.3). */
    static final int CONTINUITY_MODULO = 16;

    /** Length of the PCR field of an adaptation field: 33-bit base, 6 reserved bits, 9-bit extension (2.4.3.5). */
    static final int PCR_SIZE = 6;

    /** adaptation_field_control values (Table 2-5). */
    private static final int PAYLOAD_ONLY = 0b01;
    private static final int ADAPTATION_ONLY = 0b10;
    private static final int ADAPTATION_AND_PAYLOAD = 0b11;

    /** Adaptation field flags (2.4.3.4). */
    private static final int RANDOM_ACCESS_INDICATOR = 0x40;
    private static final int PCR_FLAG = 0x10;

    private static final int STUFFING_BYTE = 0xFF;

    /** The continuity_counter the next packet with payload gets, per PID. */
    private final Map<Integer, Integer> nextContinuity = new HashMap<>();
    private final byte[] packet = new byte[TS_PACKET_SIZE];

    /**
     * Writes one PES packet made of {@code header} followed by {@code payload[offset, offset + length)}, so large
     * payloads are not copied into one array first.
     *
     * @param pcr          the 33-bit PCR base to put in the first packet, or -1 for none
     * @param randomAccess sets random_access_indicator in the first packet: a decoder can start here
     */
    void writePes(ByteArrayOutputStream out, int pid, byte[] header, byte[] payload, int offset, int length,
                  long pcr, boolean randomAccess) {
        long total = (long) header.length + length;
        long written = 0;
        boolean first = true;
        while (written < total) {
            boolean adaptationFlags = first && (pcr >= 0 || randomAccess);
            int adaptationSize = adaptationFlags ? 2 + (pcr >= 0 ? PCR_SIZE : 0) : 0; // length byte and flags byte
            long remaining = total - written;
            int chunk = (int) Math.min(remaining, MAX_PAYLOAD_SIZE - adaptationSize);
            int stuffing = MAX_PAYLOAD_SIZE - adaptationSize - chunk;
            if (stuffing > 0 && adaptationSize == 0) {
                // A one-byte adaptation field is just adaptation_field_length = 0; longer ones need the flags byte.
                adaptationSize = Math.min(stuffing, 2);
                stuffing -= adaptationSize;
            }
            int position = writeHeader(pid, first, adaptationSize > 0 ? ADAPTATION_AND_PAYLOAD : PAYLOAD_ONLY);
            if (adaptationSize > 0) {
                position = writeAdaptationField(position, adaptationSize + stuffing,
                        first && randomAccess, first ? pcr : -1);
            }
            copyPayload(position, header, payload, offset, written, chunk);
            out.write(packet, 0, TS_PACKET_SIZE);
            written += chunk;
            first = false;
        }
    }

    /** Writes one PSI section in one packet: pointer_field 0, the section, then 0xFF up to the packet's end. */
    void writeSection(ByteArrayOutputStream out, int pid, byte[] section) {
        if (section.length + 1 > MAX_PAYLOAD_SIZE) {
            throw new IllegalArgumentException("PSI section of " + section.length + " bytes needs several packets");
        }
        int position = writeHeader(pid, true, PAYLOAD_ONLY);
        packet[position] = 0; // pointer_field: the section starts right after it (2.4.4.2)
        System.arraycopy(section, 0, packet, position + 1, section.length);
        Arrays.fill(packet, position + 1 + section.length, TS_PACKET_SIZE, (byte) STUFFING_BYTE);
        out.write(packet, 0, TS_PACKET_SIZE);
    }

    /**
     * Writes a packet that carries only an adaptation field with a PCR, for when the PCR is due but the next PES is
     * on another PID. It has no payload, so it repeats the PID's last continuity_counter (2.4.3.3).
     */
    void writePcrOnly(ByteArrayOutputStream out, int pid, long pcr) {
        int position = writeHeader(pid, false, ADAPTATION_ONLY);
        writeAdaptationField(position, MAX_PAYLOAD_SIZE, false, pcr);
        out.write(packet, 0, TS_PACKET_SIZE);
    }

    /** Fills the 4-byte header; returns where the adaptation field or payload starts. */
    private int writeHeader(int pid, boolean unitStart, int adaptationFieldControl) {
        int continuity = nextContinuity.getOrDefault(pid, 0);
        if (adaptationFieldControl == ADAPTATION_ONLY) {
            continuity = Math.floorMod(continuity - 1, CONTINUITY_MODULO);
        } else {
            nextContinuity.put(pid, (continuity + 1) % CONTINUITY_MODULO);
        }
        packet[0] = (byte) SYNC_BYTE;
        // transport_error_indicator 0, payload_unit_start_indicator, transport_priority 0, PID high bits.
        packet[1] = (byte) ((unitStart ? 0x40 : 0) | (pid >>> 8));
        packet[2] = (byte) pid;
        // transport_scrambling_control '00': not scrambled.
        packet[3] = (byte) ((adaptationFieldControl << 4) | continuity);
        return TS_HEADER_SIZE;
    }

    /**
     * Writes an adaptation field of {@code size} bytes in all (length byte included), padded with stuffing bytes.
     * A size of 1 is the bare adaptation_field_length 0, which 2.4.3.5 allows for inserting a single stuffing byte.
     */
    private int writeAdaptationField(int position, int size, boolean randomAccess, long pcr) {
        packet[position] = (byte) (size - 1); // adaptation_field_length excludes itself
        if (size == 1) {
            return position + 1;
        }
        packet[position + 1] = (byte) ((randomAccess ? RANDOM_ACCESS_INDICATOR : 0) | (pcr >= 0 ? PCR_FLAG : 0));
        int cursor = position + 2;
        if (pcr >= 0) {
            writePcr(cursor, pcr);
            cursor += PCR_SIZE;
        }
        Arrays.fill(packet, cursor, position + size, (byte) STUFFING_BYTE);
        return position + size;
    }

    /** program_clock_reference_base (33 bits), 6 reserved bits set to 1, program_clock_reference_extension 0. */
    private void writePcr(int position, long base) {
        long value = MpegTsClock.wrap(base);
        packet[position] = (byte) (value >>> 25);
        packet[position + 1] = (byte) (value >>> 17);
        packet[position + 2] = (byte) (value >>> 9);
        packet[position + 3] = (byte) (value >>> 1);
        packet[position + 4] = (byte) (((value & 1) << 7) | 0x7E);
        packet[position + 5] = 0;
    }

    /** Copies {@code count} bytes of the logical stream header + payload, starting at {@code from}. */
    private void copyPayload(int position, byte[] header, byte[] payload, int offset, long from, int count) {
        int fromHeader = (int) Math.max(0, Math.min(count, header.length - from));
        if (fromHeader > 0) {
            System.arraycopy(header, (int) from, packet, position, fromHeader);
        }
        int fromPayload = count - fromHeader;
        if (fromPayload > 0) {
            long payloadStart = from + fromHeader - header.length;
            System.arraycopy(payload, offset + (int) payloadStart, packet, position + fromHeader, fromPayload);
        }
    }
}
