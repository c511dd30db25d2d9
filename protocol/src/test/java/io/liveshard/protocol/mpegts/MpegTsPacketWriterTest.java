package io.liveshard.protocol.mpegts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.mpegts.MpegTsTestStream.Packet;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MpegTsPacketWriterTest {

    private static final byte[] HEADER = {0, 0, 1, (byte) 0xE0, 0, 0, (byte) 0x84, (byte) 0x80, 5, 0x21, 0, 5,
        (byte) 0xBF, 0x21};

    private static byte[] payload(int length) {
        byte[] payload = new byte[length + 3];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 1);
        }
        return payload;
    }

    /** Lengths around the packet boundaries: 184 payload bytes per packet, 170 left after the 14-byte header. */
    @ParameterizedTest(name = "payload of {0} bytes")
    @ValueSource(ints = {0, 1, 168, 169, 170, 171, 182, 183, 184, 353, 354, 355, 1000, 70_000})
    void cutsAPesIntoWholePacketsAndReassemblesIt(int length) {
        byte[] payload = payload(length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MpegTsPacketWriter().writePes(out, 0x100, HEADER, payload, 3, length, -1, false);

        List<Packet> packets = MpegTsTestStream.packets(out.toByteArray());
        int total = HEADER.length + length;
        assertEquals((total + 183) / 184, packets.size(), "as few packets as possible");
        ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            Packet packet = packets.get(i);
            assertEquals(0x100, packet.pid());
            assertEquals(i == 0, packet.unitStart(), "payload_unit_start_indicator only on the first packet");
            assertEquals(i % 16, packet.continuity());
            if (i < packets.size() - 1) {
                assertEquals(0b01, packet.adaptationControl(), "no adaptation field before the last packet");
            }
            reassembled.writeBytes(packet.payload());
        }
        byte[] expected = new byte[total];
        System.arraycopy(HEADER, 0, expected, 0, HEADER.length);
        System.arraycopy(payload, 3, expected, HEADER.length, length);
        assertArrayEquals(expected, reassembled.toByteArray(), "stuffing is in the adaptation field, not the payload");
    }

    @Test
    void oneByteOfStuffingIsAnEmptyAdaptationField() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MpegTsPacketWriter().writePes(out, 0x101, HEADER, payload(169), 3, 169, -1, false);

        byte[] packet = out.toByteArray();
        assertEquals(188, packet.length);
        assertEquals(0x30, packet[3] & 0xF0, "adaptation field and payload");
        assertEquals(0, packet[4], "adaptation_field_length 0 is the single stuffing byte");
        assertEquals(0, packet[5], "the PES starts right after it");
        assertEquals(1, packet[7]);
    }

    @Test
    void twoOrMoreBytesOfStuffingUseTheFlagsByteAndFillBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MpegTsPacketWriter().writePes(out, 0x101, HEADER, payload(100), 3, 100, -1, false);

        byte[] packet = out.toByteArray();
        int stuffing = 184 - HEADER.length - 100;
        assertEquals(stuffing - 1, packet[4] & 0xFF, "adaptation_field_length");
        assertEquals(0, packet[5], "no flags");
        for (int i = 6; i < 4 + stuffing; i++) {
            assertEquals(0xFF, packet[i] & 0xFF, "stuffing byte " + i);
        }
        assertEquals(0, packet[4 + stuffing], "PES start code");
    }

    @ParameterizedTest(name = "PCR base {0}")
    @ValueSource(longs = {0, 1, 90_000, (1L << 32) + 12_345, (1L << 33) - 1, 1L << 33, (1L << 33) + 77})
    void thePcrAndRandomAccessGoInTheFirstPacket(long pcr) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MpegTsPacketWriter().writePes(out, 0x100, HEADER, payload(1000), 3, 1000, pcr, true);

        List<Packet> packets = MpegTsTestStream.packets(out.toByteArray());
        assertEquals(pcr & ((1L << 33) - 1), packets.get(0).pcr(), "the 33-bit base, wrapped");
        assertTrue(packets.get(0).randomAccess());
        assertEquals(7, packets.get(0).adaptationLength(), "flags byte and 6 PCR bytes");
        for (Packet later : packets.subList(1, packets.size())) {
            assertEquals(-1, later.pcr());
            assertFalse(later.randomAccess());
        }
    }

    @Test
    void aShortPesWithAPcrStuffsAfterThePcr() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MpegTsPacketWriter().writePes(out, 0x100, HEADER, payload(10), 3, 10, 5_000, true);

        List<Packet> packets = MpegTsTestStream.packets(out.toByteArray());
        assertEquals(1, packets.size());
        assertEquals(5_000, packets.get(0).pcr());
        assertEquals(HEADER.length + 10, packets.get(0).payload().length);
    }

    @Test
    void continuityCountersArePerPidAndWrapAt16() {
        MpegTsPacketWriter writer = new MpegTsPacketWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            writer.writePes(out, 0x100, HEADER, payload(400), 3, 400, -1, false); // 3 packets each
            writer.writePes(out, 0x101, HEADER, payload(10), 3, 10, -1, false); // 1 packet each
        }
        List<Integer> video = new ArrayList<>();
        List<Integer> audio = new ArrayList<>();
        for (Packet packet : MpegTsTestStream.packets(out.toByteArray())) {
            (packet.pid() == 0x100 ? video : audio).add(packet.continuity());
        }
        assertEquals(120, video.size());
        assertEquals(40, audio.size());
        for (int i = 0; i < video.size(); i++) {
            assertEquals(i % 16, video.get(i), "video packet " + i);
        }
        for (int i = 0; i < audio.size(); i++) {
            assertEquals(i % 16, audio.get(i), "audio packet " + i);
        }
    }

    @Test
    void aPcrOnlyPacketRepeatsTheLastContinuityCounter() {
        MpegTsPacketWriter writer = new MpegTsPacketWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writePes(out, 0x100, HEADER, payload(10), 3, 10, -1, false);
        writer.writePes(out, 0x100, HEADER, payload(10), 3, 10, -1, false);
        writer.writePcrOnly(out, 0x100, 123_456);
        writer.writePes(out, 0x100, HEADER, payload(10), 3, 10, -1, false);

        List<Packet> packets = MpegTsTestStream.packets(out.toByteArray());
        assertEquals(List.of(0, 1, 1, 2), packets.stream().map(Packet::continuity).toList());
        Packet pcrOnly = packets.get(2);
        assertEquals(0b10, pcrOnly.adaptationControl(), "adaptation field only");
        assertEquals(183, pcrOnly.adaptationLength(), "the adaptation field fills the packet");
        assertEquals(123_456, pcrOnly.pcr());
        assertEquals(0, pcrOnly.payload().length);
    }

    @Test
    void aSectionStartsAfterAPointerFieldAndIsFollowedBy0xFf() {
        MpegTsPacketWriter writer = new MpegTsPacketWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] section = MpegTsPsi.pat();
        for (int i = 0; i < 17; i++) {
            writer.writeSection(out, MpegTsPids.PAT, section);
        }
        List<Packet> packets = MpegTsTestStream.packets(out.toByteArray());
        for (int i = 0; i < packets.size(); i++) {
            Packet packet = packets.get(i);
            assertTrue(packet.unitStart());
            assertEquals(i % 16, packet.continuity());
            assertEquals(0, packet.payload()[0], "pointer_field");
            assertArrayEquals(section, MpegTsTestStream.section(packet));
            assertTrue(Arrays.equals(section, 0, section.length, packet.payload(), 1, 1 + section.length));
        }
    }
}
