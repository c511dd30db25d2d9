package io.liveshard.protocol.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpWriterTest {

    @Test
    void writesASenderReportInRfc3550Layout() throws Exception {
        byte[] out = new byte[40];
        Arrays.fill(out, (byte) 0x5A);

        assertEquals(28, RtcpWriter.writeSenderReport(out, 6, 0x11223344L, 0xe1a2b3c4_80000000L, 90_000, 100,
                10_000));

        assertArrayEquals(RtcpCompoundParserTest.hex("5a5a5a5a5a5a 80 c8 0006 11223344 e1a2b3c4 80000000 00015f90"
                + " 00000064 00002710 5a5a5a5a5a5a"), out);
        assertEquals(List.of(new RtcpSenderReport(0x11223344L, 0xe1a2b3c4_80000000L, 90_000, 100, 10_000,
                List.of())), RtcpCompoundParser.parse(out, 6, 28));
    }

    @Test
    void countsAndTimestampsKeepTheirLow32Bits() throws Exception {
        byte[] out = new byte[28];
        RtcpWriter.writeSenderReport(out, 0, 0xFFFFFFFFL, -1L, (1L << 32) + 7, (1L << 32) + 5, (3L << 32) + 9);

        RtcpSenderReport report = (RtcpSenderReport) RtcpCompoundParser.parse(out, 0, 28).get(0);
        assertEquals(List.of(0xFFFFFFFFL, -1L, 7L, 5L, 9L), List.of(report.ssrc(), report.ntpTimestamp(),
                report.rtpTimestamp(), report.packetCount(), report.octetCount()));
    }

    @ParameterizedTest(name = "CNAME of {0} bytes -> {1}")
    @CsvSource({
        "a, 81 ca 0002 00000007 01 01 61 00",
        "ab, 81 ca 0003 00000007 01 02 6162 00000000",
        "abc, 81 ca 0003 00000007 01 03 616263 000000",
        "abcdef, 81 ca 0004 00000007 01 06 616263646566 00000000",
    })
    void writesAnSdesCnameChunkEndedByNullOctets(String cname, String expected) throws Exception {
        byte[] bytes = cname.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[64];
        Arrays.fill(out, (byte) 0x5A);

        int size = RtcpWriter.writeSourceDescription(out, 0, 7, bytes);

        assertEquals(RtcpWriter.sourceDescriptionSize(bytes.length), size);
        assertEquals(0, size % 4);
        assertArrayEquals(RtcpCompoundParserTest.hex(expected), Arrays.copyOf(out, size));
        assertEquals(List.of(new RtcpUnknownPacket(202, 1, size)), RtcpCompoundParser.parse(out, 0, size));
    }

    @Test
    void aSenderReportAndCnameMakeAValidCompoundPacket() throws Exception {
        byte[] cname = "liveshard-viewer-42".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[RtcpWriter.SENDER_REPORT_SIZE + RtcpWriter.sourceDescriptionSize(cname.length)];
        int length = RtcpWriter.writeSenderReport(out, 0, 9, RtcpNtpTime.fromUnixMillis(1_700_000_000_000L), 1, 2,
                3);
        length += RtcpWriter.writeSourceDescription(out, length, 9, cname);

        List<RtcpPacket> packets = RtcpCompoundParser.parse(out, 0, length);
        assertEquals(2, packets.size());
        assertEquals(RtcpNtpTime.fromUnixMillis(1_700_000_000_000L),
                ((RtcpSenderReport) packets.get(0)).ntpTimestamp());
    }

    @Test
    void refusesBadCnamesAndSmallBuffers() {
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.writeSourceDescription(new byte[300], 0, 1,
                new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.writeSourceDescription(new byte[300], 0, 1,
                new byte[256]));
        assertEquals(268, RtcpWriter.writeSourceDescription(new byte[300], 0, 1, new byte[255]));
        assertThrows(IndexOutOfBoundsException.class, () -> RtcpWriter.writeSenderReport(new byte[27], 0, 1, 2, 3,
                4, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> RtcpWriter.writeSourceDescription(new byte[11], 0, 1,
                new byte[] {'a'}));
    }

    @ParameterizedTest(name = "unix {0} ms -> NTP {1}")
    @CsvSource({
        "0, 83aa7e8000000000",
        "1500, 83aa7e8180000000",
        "-1000, 83aa7e7f00000000",
        "1700000000250, e8fe6f8040000000",
        "2085978496000, 0000000000000000",
        "2085978497000, 0000000100000000",
    })
    void wallClockBecomesNtpIncludingTheEra1Wrap(long unixMillis, String ntpHex) {
        long ntp = Long.parseUnsignedLong(ntpHex, 16);
        assertEquals(ntp, RtcpNtpTime.fromUnixMillis(unixMillis));
        assertEquals(unixMillis * 1_000_000L, RtcpNtpTime.toUnixNanos(ntp));
    }

    @Test
    void ntpRoundTripsToTheNanosecondFrom1970To2100() {
        Random random = new Random(1900);
        for (int i = 0; i < 10_000; i++) {
            long unixNanos = (long) (random.nextDouble() * 4_102_444_800L) * 1_000_000_000L
                    + random.nextInt(1_000_000_000);
            long back = RtcpNtpTime.toUnixNanos(RtcpNtpTime.fromUnixNanos(unixNanos));
            assertTrue(Math.abs(back - unixNanos) <= 1, unixNanos + " came back as " + back);
        }
    }

    @Test
    void theCompactFormIsTheMiddle32Bits() {
        assertEquals(0x7e808000L, RtcpNtpTime.compact(0x83aa7e80_80000000L));
        assertEquals(0xffffffffL, RtcpNtpTime.compact(-1L));
    }

    @ParameterizedTest(name = "A={0} LSR={1} DLSR={2} -> {3} us")
    @CsvSource({
        "b7108000, b7052000, 00054000, 6125000", // RFC 3550 6.4.1, figure 2: 6.125 s
        "00001000, fffff000, 00000000, 125000", // across the wrap of the compact clock
        "12345678, 00000000, 00000000, -1", // LSR 0: no SR received yet
        "00010000, 00010000, 00000010, 0", // DLSR rounded up past the arrival: counts as no delay
        "00010041, 00010000, 00000000, 991", // 65/65536 s, truncated to the microsecond
    })
    void roundTripTimeFromAReportBlock(String arrival, String lsr, String dlsr, long expectedMicros) {
        long a = Long.parseLong(arrival, 16);
        long l = Long.parseLong(lsr, 16);
        long d = Long.parseLong(dlsr, 16);

        assertEquals(expectedMicros, RtcpNtpTime.roundTripMicros(a, l, d));
        assertEquals(expectedMicros, new RtcpReportBlock(1, 0, 0, 0, 0, l, d).roundTripMicros(a));
    }

    @Test
    void wireEnumsMapBothWaysAndRefuseUnknownCodes() throws Exception {
        for (RtcpPacketType type : RtcpPacketType.values()) {
            assertEquals(type, RtcpPacketType.fromCode(type.code()));
        }
        assertEquals(200, RtcpPacketType.SENDER_REPORT.code());
        assertEquals(207, RtcpPacketType.EXTENDED_REPORT.code());
        assertThrows(RtcpException.class, () -> RtcpPacketType.fromCode(199));
        assertThrows(RtcpException.class, () -> RtcpPacketType.fromCode(208));

        for (RtcpFeedbackFormat format : RtcpFeedbackFormat.values()) {
            assertEquals(format, RtcpFeedbackFormat.fromCode(format.packetType(), format.code()));
        }
        assertEquals(RtcpFeedbackFormat.GENERIC_NACK,
                RtcpFeedbackFormat.fromCode(RtcpPacketType.TRANSPORT_FEEDBACK, 1));
        assertEquals(RtcpFeedbackFormat.PICTURE_LOSS_INDICATION,
                RtcpFeedbackFormat.fromCode(RtcpPacketType.PAYLOAD_FEEDBACK, 1));
        assertThrows(RtcpException.class, () -> RtcpFeedbackFormat.fromCode(RtcpPacketType.TRANSPORT_FEEDBACK, 4));
        assertThrows(RtcpException.class, () -> RtcpFeedbackFormat.fromCode(RtcpPacketType.RECEIVER_REPORT, 1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "one packet | 100 | 81 cd 0003 00000001 0000abcd 0064 0000",
        "a run within the bitmask | 100 101 103 116 | 81 cd 0003 00000001 0000abcd 0064 8005",
        "17 apart needs a second entry | 100 117 | 81 cd 0004 00000001 0000abcd 0064 0000 0075 0000",
        "across the wrap | 65534 65535 0 14 | 81 cd 0003 00000001 0000abcd fffe 8003",
    })
    void packsLostSequenceNumbersIntoPidAndBlpEntries(String name, String lost, String expected) throws Exception {
        int[] sequenceNumbers = Arrays.stream(lost.split(" ")).mapToInt(Integer::parseInt).toArray();
        byte[] out = new byte[RtcpWriter.genericNackSize(sequenceNumbers)];

        assertEquals(out.length, RtcpWriter.writeGenericNack(out, 0, 1, 0xabcd, sequenceNumbers));

        assertArrayEquals(RtcpCompoundParserTest.hex(expected), out);
        assertEquals(List.of(new RtcpGenericNack(1, 0xabcd, sequenceNumbers)),
                RtcpCompoundParser.parse(out, 0, out.length), "the parser expands it back");
    }

    @Test
    void aNackNamesAtLeastOnePacket() {
        assertThrows(IllegalArgumentException.class, () -> RtcpWriter.writeGenericNack(new byte[64], 0, 1, 2,
                new int[0]));
    }

    @Test
    void writesAPictureLossIndicationTheParserReads() throws Exception {
        byte[] out = new byte[RtcpWriter.FEEDBACK_HEADER_SIZE];

        RtcpWriter.writePictureLossIndication(out, 0, 7, 0xFFFFFFFEL);

        assertArrayEquals(RtcpCompoundParserTest.hex("81 ce 0002 00000007 fffffffe"), out);
        assertEquals(List.of(new RtcpPictureLossIndication(7, 0xFFFFFFFEL)), RtcpCompoundParser.parse(out, 0, 12));
    }
}
