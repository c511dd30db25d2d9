package io.liveshard.protocol.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.media.MediaFrame;

import java.lang.management.ManagementFactory;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class RtpPacketWriterTest {

    @Test
    void writesHeaderThenSharedPayloadAtTheOffset() throws Exception {
        RtpPacketizedFrame frame = packetize(RtpH264PacketizerTest.frame(false, 1000, nal(0x41, 3000)));
        RtpPacketWriter writer = new RtpPacketWriter(0xCAFEBABEL, 102, 65534, 0);
        byte[] out = new byte[1300];

        for (int i = 0; i < frame.packetCount(); i++) {
            Arrays.fill(out, (byte) 0x77);
            int length = writer.write(frame, i, out, 50);
            assertEquals(12 + frame.payloadLength(i), length);
            RtpHeader header = RtpHeader.parse(out, 50, length);
            assertEquals((65534 + i) & 0xFFFF, header.sequenceNumber(), "sequence numbers wrap");
            assertEquals(i == frame.packetCount() - 1, header.marker());
            assertEquals(102, header.payloadType());
            assertEquals(90_000, header.timestamp());
            assertEquals(0xCAFEBABEL, header.ssrc());
            assertArrayEquals(frame.payload(i), Arrays.copyOfRange(out, 62, 50 + length));
            assertEquals(0x77, out[49], "nothing before the offset");
            assertEquals(0x77, out[50 + length], "nothing after the packet");
        }
        assertEquals(1, writer.nextSequenceNumber());
        assertEquals(0, writer.lastSequenceNumber());
        assertEquals(3, writer.packetCount());
        assertEquals(frame.totalPayloadLength(), writer.octetCount());
        assertEquals(90_000, writer.lastTimestamp());
    }

    @Test
    void twoViewersShareOnePacketizedFrameAndDifferOnlyInTheirHeaders() throws Exception {
        RtpPacketizedFrame frame = packetize(RtpH264PacketizerTest.frame(true, 0, nal(0x65, 2000)));
        RtpPacketWriter first = new RtpPacketWriter(1, 102, 100, 0);
        RtpPacketWriter second = new RtpPacketWriter(2, 96, 40000, 0x1000);
        for (int i = 0; i < frame.packetCount(); i++) {
            byte[] a = RtpH264PacketizerTest.write(first, frame, i);
            byte[] b = RtpH264PacketizerTest.write(second, frame, i);
            assertArrayEquals(Arrays.copyOfRange(a, 12, a.length), Arrays.copyOfRange(b, 12, b.length));
            RtpHeader headerB = RtpHeader.parse(b, 0, b.length);
            assertEquals(List.of(2L, 96, 40000 + i, 0x1000L), List.of(headerB.ssrc(), headerB.payloadType(),
                    headerB.sequenceNumber(), headerB.timestamp()));
        }
    }

    @Test
    void theTimestampOffsetWraps() throws Exception {
        RtpPacketizedFrame frame = packetize(RtpH264PacketizerTest.frame(false, 1000, nal(0x41, 10)));
        RtpPacketWriter writer = new RtpPacketWriter(1, 96, 0, 0xFFFF_FFFFL - 1000);

        byte[] packet = RtpH264PacketizerTest.write(writer, frame, 0);

        assertEquals(90_000 - 1001, RtpHeader.parse(packet, 0, packet.length).timestamp());
    }

    @Test
    void writesIntoAByteBufferAtItsPosition() throws Exception {
        RtpPacketizedFrame frame = packetize(RtpH264PacketizerTest.frame(false, 0, nal(0x41, 2000)));
        for (ByteBuffer buffer : List.of(ByteBuffer.allocate(1500), ByteBuffer.allocateDirect(1500),
                ByteBuffer.allocateDirect(1500).order(ByteOrder.LITTLE_ENDIAN))) {
            RtpPacketWriter writer = new RtpPacketWriter(9, 96, 7, 0);
            RtpPacketWriter reference = new RtpPacketWriter(9, 96, 7, 0);
            for (int i = 0; i < frame.packetCount(); i++) {
                buffer.clear().position(8);
                int length = writer.write(frame, i, buffer);
                assertEquals(8 + length, buffer.position());
                byte[] written = new byte[length];
                buffer.get(8, written);
                assertArrayEquals(RtpH264PacketizerTest.write(reference, frame, i), written);
            }
        }
    }

    @Test
    void aRetransmissionKeepsItsSequenceNumberAndCountsForTheSenderReport() throws Exception {
        RtpPacketizedFrame frame = packetize(RtpH264PacketizerTest.frame(false, 0, nal(0x41, 2000)));
        RtpPacketWriter writer = new RtpPacketWriter(9, 96, 500, 0);
        byte[] original = RtpH264PacketizerTest.write(writer, frame, 1);
        byte[] out = new byte[1500];

        int length = writer.writeRetransmission(frame, 1, 500, out, 0);

        assertArrayEquals(original, Arrays.copyOf(out, length));
        assertEquals(501, writer.nextSequenceNumber());
        assertEquals(2, writer.packetCount());
        assertEquals(2L * frame.payloadLength(1), writer.octetCount());
    }

    @Test
    void tooSmallBuffersAndBadSettingsAreRefused() throws Exception {
        RtpPacketizedFrame frame = packetize(RtpH264PacketizerTest.frame(false, 0, nal(0x41, 100)));
        RtpPacketWriter writer = new RtpPacketWriter(9, 96, 0, 0);
        assertThrows(IndexOutOfBoundsException.class, () -> writer.write(frame, 0, new byte[111], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> writer.write(frame, 0, new byte[200], 90));
        assertThrows(BufferOverflowException.class, () -> writer.write(frame, 0, ByteBuffer.allocate(111)));
        assertEquals(0, writer.nextSequenceNumber(), "a failed write uses no sequence number");
        assertEquals(112, writer.write(frame, 0, new byte[112], 0));

        assertThrows(IllegalArgumentException.class, () -> new RtpPacketWriter(-1, 96, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtpPacketWriter(1L << 32, 96, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtpPacketWriter(1, 128, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtpPacketWriter(1, 96, 65536, 0));
    }

    @Test
    void thePerViewerPathAllocatesNothing() throws Exception {
        RtpPacketizedFrame frame = packetize(RtpH264PacketizerTest.frame(true, 0, nal(0x65, 5000)));
        RtpPacketWriter writer = new RtpPacketWriter(9, 96, 0, 0);
        RtpPacketWriter bufferWriter = new RtpPacketWriter(10, 96, 0, 0);
        RtpRetransmissionHistory history = new RtpRetransmissionHistory(RtpRetransmissionHistoryConfig.DEFAULT);
        byte[] out = new byte[1500];
        ByteBuffer direct = ByteBuffer.allocateDirect(1500);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().getId();
        sendAll(frame, writer, bufferWriter, history, out, direct, 20_000); // warm up: class loading, JIT
        long before = threads.getThreadAllocatedBytes(threadId);
        sendAll(frame, writer, bufferWriter, history, out, direct, 20_000);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < 1024, "sending " + 20_000 * frame.packetCount() + " packets allocated " + allocated
                + " bytes");
    }

    private static void sendAll(RtpPacketizedFrame frame, RtpPacketWriter writer, RtpPacketWriter bufferWriter,
                                RtpRetransmissionHistory history, byte[] out, ByteBuffer direct, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < frame.packetCount(); i++) {
                writer.write(frame, i, out, 0);
                history.record(writer.lastSequenceNumber(), frame, i, round);
                direct.clear();
                bufferWriter.write(frame, i, direct);
            }
            int slot = history.find(writer.lastSequenceNumber(), round);
            writer.writeRetransmission(history.frameAt(slot), history.packetIndexAt(slot), 1, out, 0);
        }
    }

    private static RtpPacketizedFrame packetize(MediaFrame frame) throws Exception {
        RtpH264Packetizer packetizer = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
        packetizer.configure(new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4,
                List.of(RtpTestMedia.hex("67 42 c0 1e")), List.of(RtpTestMedia.hex("68 ce 3c 80"))));
        return packetizer.packetize(frame);
    }

    private static byte[] nal(int header, int length) {
        return RtpH264PacketizerTest.nal(header, length);
    }
}
