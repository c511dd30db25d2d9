package io.liveshard.protocol.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtpHeaderTest {

    /** RFC 3550 5.1 layout: V=2, M=1, PT=96, seq 0xabcd, timestamp 0x12345678, SSRC 0xdeadbeef, payload 01 02 03. */
    private static final byte[] SIMPLE = RtpTestMedia.hex("80 e0 abcd 12345678 deadbeef 010203");

    @Test
    void writesTheFixedHeader() {
        byte[] out = new byte[20];
        Arrays.fill(out, (byte) 0x5A);

        assertEquals(12, RtpHeader.write(out, 3, true, 96, 0xABCD, 0x12345678L, 0xDEADBEEFL));

        assertArrayEquals(RtpTestMedia.hex("5a5a5a 80 e0 abcd 12345678 deadbeef 5a5a5a5a5a"), out);
    }

    @Test
    void writesTheFixedHeaderToAByteBuffer() {
        ByteBuffer out = ByteBuffer.allocate(14).position(2);

        assertEquals(12, RtpHeader.write(out, false, 111, 0xFFFF, 0xFFFFFFFFL, 1));

        assertEquals(14, out.position());
        assertArrayEquals(RtpTestMedia.hex("0000 80 6f ffff ffffffff 00000001"), out.array());
    }

    @Test
    void readsTheFixedHeader() throws Exception {
        RtpHeader header = RtpHeader.parse(SIMPLE, 0, SIMPLE.length);

        assertTrue(header.marker());
        assertFalse(header.padding());
        assertFalse(header.extension());
        assertEquals(96, header.payloadType());
        assertEquals(0xABCD, header.sequenceNumber());
        assertEquals(0x12345678L, header.timestamp());
        assertEquals(0xDEADBEEFL, header.ssrc());
        assertEquals(0, header.csrcCount());
        assertEquals(-1, header.extensionProfile());
        assertEquals(12, header.payloadOffset());
        assertEquals(3, header.payloadLength());
    }

    @Test
    void readsCsrcsAOneByteExtensionAndPadding() throws Exception {
        // CC=2, X=1, P=1; RFC 8285 4.2 one-byte elements: id 1 len 1, padding byte, id 3 len 3, then padding to
        // the word; RTP padding of 3 bytes (last byte counts them).
        byte[] packet = RtpTestMedia.hex("b2 60 0001 00000002 00000003 11111111 22222222"
                + " bede 0002 10 aa 00 32 bbccdd 00"
                + " 6565 000003");
        RtpHeader header = RtpHeader.parse(packet, 0, packet.length);

        assertEquals(List.of(0x11111111L, 0x22222222L), header.csrcs());
        assertEquals(RtpHeader.ONE_BYTE_PROFILE, header.extensionProfile());
        assertEquals(List.of(new RtpHeaderExtension(1, 25, 1), new RtpHeaderExtension(3, 28, 3)),
                header.extensions());
        assertEquals(32, header.payloadOffset());
        assertEquals(2, header.payloadLength());
        assertTrue(header.padding());
    }

    @Test
    void readsTwoByteExtensionElementsIncludingEmptyOnes() throws Exception {
        byte[] packet = RtpTestMedia.hex("90 60 0001 00000002 00000003 1003 0002 05 00 00 07 02 abcd 00 ff");
        RtpHeader header = RtpHeader.parse(packet, 0, packet.length);

        assertEquals(0x1003, header.extensionProfile());
        assertEquals(List.of(new RtpHeaderExtension(5, 18, 0), new RtpHeaderExtension(7, 21, 2)),
                header.extensions());
        assertEquals(1, header.payloadLength());
    }

    @Test
    void theReservedOneByteIdStopsElementParsing() throws Exception {
        byte[] packet = RtpTestMedia.hex("90 60 0001 00000002 00000003 bede 0001 10 aa f3 ff 77");
        assertEquals(List.of(new RtpHeaderExtension(1, 17, 1)), RtpHeader.parse(packet, 0, packet.length)
                .extensions());
    }

    @Test
    void otherExtensionProfilesAreSkippedWhole() throws Exception {
        byte[] packet = RtpTestMedia.hex("90 60 0001 00000002 00000003 abac 0001 01020304 99");
        RtpHeader header = RtpHeader.parse(packet, 0, packet.length);

        assertEquals(0xABAC, header.extensionProfile());
        assertEquals(List.of(), header.extensions());
        assertEquals(20, header.payloadOffset());
    }

    @Test
    void writtenHeadersReadBack() throws Exception {
        Random random = new Random(7);
        byte[] out = new byte[12];
        for (int i = 0; i < 1000; i++) {
            boolean marker = random.nextBoolean();
            int payloadType = random.nextInt(128);
            int sequence = random.nextInt(65536);
            long timestamp = random.nextLong() & 0xFFFFFFFFL;
            long ssrc = random.nextLong() & 0xFFFFFFFFL;
            RtpHeader.write(out, 0, marker, payloadType, sequence, timestamp, ssrc);
            RtpHeader header = RtpHeader.parse(out, 0, 12);
            assertEquals(List.of(marker, payloadType, sequence, timestamp, ssrc), List.of(header.marker(),
                    header.payloadType(), header.sequenceNumber(), header.timestamp(), header.ssrc()));
            assertEquals(0, header.payloadLength());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "version 1,                           40 60 0001 00000002 00000003, version 1",
        "CSRC list overruns,                  83 60 0001 00000002 00000003 00000004 00000005, CSRC list",
        "extension header overruns,           90 60 0001 00000002 00000003 bede, extension header",
        "extension overruns,                  90 60 0001 00000002 00000003 bede 0002 10aa0000, 8 bytes",
        "one-byte element overruns,           90 60 0001 00000002 00000003 bede 0001 000000 30, element 3",
        "two-byte element without length,    90 60 0001 00000002 00000003 1000 0001 000000 07, no length",
        "two-byte element overruns,           90 60 0001 00000002 00000003 1000 0001 07 05 0000, element 7",
        "padding count zero,                  a0 60 0001 00000002 00000003 0000, padding count 0",
        "padding larger than the payload,     a0 60 0001 00000002 00000003 0005, padding count 5",
        "padding with no payload,             a0 60 0001 00000002, shorter",
    })
    void refusesMalformedPackets(String name, String hex, String message) {
        byte[] packet = RtpTestMedia.hex(hex);
        RtpException e = assertThrows(RtpException.class, () -> RtpHeader.parse(packet, 0, packet.length));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void everyTruncationIsRefusedOrReadsConsistently() {
        byte[] packet = RtpTestMedia.hex("b2 60 0001 00000002 00000003 11111111 22222222"
                + " bede 0002 10 aa 00 32 bbccdd 00 6565 000003");
        for (int length = 0; length < packet.length; length++) {
            byte[] truncated = Arrays.copyOf(packet, length);
            try {
                RtpHeader header = RtpHeader.parse(truncated, 0, length);
                assertTrue(header.payloadOffset() + header.payloadLength() <= length);
            } catch (RtpException expected) {
                // a clear refusal
            }
        }
    }

    @Test
    void randomGarbageNeverEscapesAsAnUncheckedException() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && random.nextBoolean()) {
                garbage[0] = (byte) (0x80 | (garbage[0] & 0x3F)); // version 2, to get past the first check
            }
            try {
                RtpHeader header = RtpHeader.parse(garbage, 0, garbage.length);
                assertTrue(header.payloadOffset() + header.payloadLength() <= garbage.length);
                for (RtpHeaderExtension element : header.extensions()) {
                    assertTrue(element.offset() + element.length() <= header.payloadOffset());
                }
            } catch (RtpException expected) {
                // a clear refusal
            }
        }
    }
}
