package io.liveshard.protocol.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent, deliberately simple transport stream reader for the tests: it re-derives every field from the
 * bytes with its own bit arithmetic (no code shared with the writer) and asserts the framing rules on the way.
 */
final class MpegTsTestStream {

    static final int PACKET = 188;

    /** One TS packet, its fields decoded. {@code pcr} is -1 when absent. */
    record Packet(int pid, boolean unitStart, int adaptationControl, int continuity, int adaptationLength,
                  boolean randomAccess, long pcr, byte[] payload) {
    }

    /** One reassembled PES packet; {@code pts}/{@code dts} are -1 when absent. */
    record Pes(int pid, int streamId, int packetLength, int flags, long pts, long dts, byte[] payload, long pcr,
               boolean randomAccess, int tsPackets) {
    }

    private MpegTsTestStream() {
    }

    static List<Packet> packets(byte[] ts) {
        assertEquals(0, ts.length % PACKET, "a whole number of 188-byte packets");
        List<Packet> packets = new ArrayList<>();
        for (int start = 0; start < ts.length; start += PACKET) {
            byte[] p = Arrays.copyOfRange(ts, start, start + PACKET);
            assertEquals(0x47, p[0] & 0xFF, "sync byte of packet " + start / PACKET);
            assertEquals(0, p[1] & 0x80, "transport_error_indicator");
            int pid = ((p[1] & 0x1F) << 8) | (p[2] & 0xFF);
            int control = (p[3] >> 4) & 0x3;
            assertEquals(0, (p[3] >> 6) & 0x3, "not scrambled");
            assertTrue(control != 0, "adaptation_field_control 00 is reserved");
            int position = 4;
            int adaptationLength = -1;
            boolean randomAccess = false;
            long pcr = -1;
            if ((control & 0b10) != 0) {
                adaptationLength = p[4] & 0xFF;
                assertTrue(adaptationLength <= (control == 0b11 ? 182 : 183), "adaptation_field_length");
                if (adaptationLength > 0) {
                    int flags = p[5] & 0xFF;
                    randomAccess = (flags & 0x40) != 0;
                    if ((flags & 0x10) != 0) {
                        pcr = readPcrBase(p, 6);
                    }
                }
                position = 5 + adaptationLength;
            }
            byte[] payload = (control & 0b01) != 0 ? Arrays.copyOfRange(p, position, PACKET) : new byte[0];
            packets.add(new Packet(pid, (p[1] & 0x40) != 0, control, p[3] & 0xF, adaptationLength, randomAccess, pcr,
                    payload));
        }
        return packets;
    }

    /**
     * Checks the continuity_counter of every PID from its first packet on: +1 (mod 16) per packet with payload, and
     * unchanged in an adaptation-field-only packet (ISO/IEC 13818-1 2.4.3.3). ffmpeg only reports breaks at debug
     * level, so the tests check them here.
     */
    static void assertContinuity(byte[] ts) {
        Map<Integer, Integer> last = new LinkedHashMap<>();
        int index = 0;
        for (Packet packet : packets(ts)) {
            Integer previous = last.get(packet.pid());
            if (previous != null) {
                int expected = packet.payload().length > 0 ? (previous + 1) % 16 : previous;
                assertEquals(expected, packet.continuity(), "continuity_counter of packet " + index + " on PID "
                        + packet.pid());
            }
            last.put(packet.pid(), packet.continuity());
            index++;
        }
    }

    /** The PCR base, after checking the reserved bits and that the extension is 0. */
    static long readPcrBase(byte[] p, int at) {
        long base = ((long) (p[at] & 0xFF) << 25) | ((p[at + 1] & 0xFF) << 17) | ((p[at + 2] & 0xFF) << 9)
                | ((p[at + 3] & 0xFF) << 1) | ((p[at + 4] & 0xFF) >> 7);
        assertEquals(0x7E, p[at + 4] & 0x7E, "PCR reserved bits");
        assertEquals(0, ((p[at + 4] & 1) << 8) | (p[at + 5] & 0xFF), "PCR extension");
        return base;
    }

    /** Reads a 5-byte PTS/DTS field, checking its 4-bit prefix and the three marker bits. */
    static long readTimestamp(byte[] b, int at, int prefix) {
        assertEquals(prefix, (b[at] & 0xFF) >> 4, "timestamp prefix");
        assertEquals(1, b[at] & 1, "marker bit 1");
        assertEquals(1, b[at + 2] & 1, "marker bit 2");
        assertEquals(1, b[at + 4] & 1, "marker bit 3");
        return ((long) ((b[at] >> 1) & 0x7) << 30) | ((b[at + 1] & 0xFF) << 22) | (((b[at + 2] & 0xFF) >> 1) << 15)
                | ((b[at + 3] & 0xFF) << 7) | ((b[at + 4] & 0xFF) >> 1);
    }

    /** Reassembles the PES packets of every PID except the PSI ones, in stream order of their first packet. */
    static List<Pes> pes(byte[] ts) {
        List<Pes> done = new ArrayList<>();
        Map<Integer, List<Packet>> open = new LinkedHashMap<>();
        for (Packet packet : packets(ts)) {
            if (packet.pid() == MpegTsPids.PAT || packet.pid() == MpegTsPids.PMT || packet.payload().length == 0) {
                continue;
            }
            if (packet.unitStart()) {
                List<Packet> previous = open.remove(packet.pid());
                if (previous != null) {
                    done.add(parsePes(previous));
                }
                open.put(packet.pid(), new ArrayList<>(List.of(packet)));
            } else {
                assertTrue(open.containsKey(packet.pid()), "continuation without a start on PID " + packet.pid());
                open.get(packet.pid()).add(packet);
            }
        }
        for (List<Packet> rest : open.values()) {
            done.add(parsePes(rest));
        }
        return done;
    }

    private static Pes parsePes(List<Packet> packets) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Packet packet : packets) {
            bytes.writeBytes(packet.payload());
        }
        byte[] b = bytes.toByteArray();
        assertEquals(0, b[0]);
        assertEquals(0, b[1]);
        assertEquals(1, b[2], "packet_start_code_prefix");
        int streamId = b[3] & 0xFF;
        int packetLength = ((b[4] & 0xFF) << 8) | (b[5] & 0xFF);
        if (packetLength != 0) {
            assertEquals(b.length - 6, packetLength, "PES_packet_length matches the reassembled bytes");
        }
        assertEquals(0x80, b[6] & 0xC0, "'10' marker");
        int ptsDtsFlags = (b[7] & 0xFF) >> 6;
        int headerLength = b[8] & 0xFF;
        long pts = -1;
        long dts = -1;
        if (ptsDtsFlags == 0b10) {
            pts = readTimestamp(b, 9, 0b0010);
        } else if (ptsDtsFlags == 0b11) {
            pts = readTimestamp(b, 9, 0b0011);
            dts = readTimestamp(b, 14, 0b0001);
        }
        Packet first = packets.get(0);
        for (int i = 0; i < packets.size() - 1; i++) {
            Packet packet = packets.get(i);
            assertEquals(184 - (packet.adaptationLength() < 0 ? 0 : packet.adaptationLength() + 1),
                    packet.payload().length);
            if (i > 0) {
                assertEquals(-1, packet.adaptationLength(), "stuffing only in the last packet of a PES");
            }
        }
        return new Pes(first.pid(), streamId, packetLength, b[6] & 0xFF, pts, dts,
                Arrays.copyOfRange(b, 9 + headerLength, b.length), first.pcr(), first.randomAccess(),
                packets.size());
    }

    /** The PSI section in a packet with payload_unit_start_indicator: skips the pointer_field. */
    static byte[] section(Packet packet) {
        byte[] payload = packet.payload();
        int start = 1 + (payload[0] & 0xFF);
        int sectionLength = ((payload[start + 1] & 0x0F) << 8) | (payload[start + 2] & 0xFF);
        for (int i = start + 3 + sectionLength; i < payload.length; i++) {
            assertEquals(0xFF, payload[i] & 0xFF, "stuffing after the section");
        }
        return Arrays.copyOfRange(payload, start, start + 3 + sectionLength);
    }

    /** Annex B NAL unit header bytes (the first byte after each 00 00 01), in order. */
    static List<Integer> nalHeaders(byte[] annexB) {
        List<Integer> headers = new ArrayList<>();
        for (int i = 0; i + 3 < annexB.length; i++) {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
                headers.add(annexB[i + 3] & 0xFF);
                i += 3;
            }
        }
        return headers;
    }

    /** A bit-at-a-time CRC-32/MPEG-2, written from the definition in ISO/IEC 13818-1 Annex A. */
    static int crc32Mpeg2(byte[] data, int offset, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + length; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean in = ((data[i] >> bit) & 1) != 0;
                boolean top = crc < 0;
                crc <<= 1;
                if (in ^ top) {
                    crc ^= 0x04C11DB7;
                }
            }
        }
        return crc;
    }
}
