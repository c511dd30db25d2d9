package io.liveshard.protocol.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Byte fixtures follow the layouts of RFC 3550 6.4, RFC 4585 6, RFC 5104 4.3.1 and the REMB draft 2.2. */
class RtcpCompoundParserTest {

    /** SR (RFC 3550 6.4.1), one report block: fraction 10/256, cumulative -2, LSR/DLSR set. */
    static final String SENDER_REPORT = "81 c8 000c 11223344 e1a2b3c4 80000000 00015f90 00000064 00002710"
            + " 55667788 0a fffffe 00010005 00000020 b3c48000 00010000";

    /** RR (RFC 3550 6.4.2) with two blocks, the second one without an SR received yet. */
    static final String RECEIVER_REPORT = "82 c9 000d 00000001"
            + " 11223344 00 000000 0001ffff 00000005 e1a2b3c4 00004000"
            + " 55667788 ff 7fffff 00000000 ffffffff 00000000 00000000";

    /** Generic NACK (RFC 4585 6.2.1): PID 100 BLP 0b101, PID 65534 BLP bits 0 and 15. */
    static final String NACK = "81 cd 0004 00000001 11223344 0064 0005 fffe 8001";

    /** PLI (RFC 4585 6.3.1): no FCI. */
    static final String PLI = "81 ce 0002 00000001 11223344";

    /** FIR (RFC 5104 4.3.1): media SSRC 0, two FCI entries. */
    static final String FIR = "84 ce 0006 00000001 00000000 11223344 07 000000 55667788 08 000000";

    /** REMB (draft-alvestrand-rmcat-remb-03 2.2): 1 000 000 bit/s = 15625 * 2^6, one SSRC. */
    static final String REMB = "8f ce 0005 00000001 00000000 52454d42 01 183d09 11223344";

    /** BYE (RFC 3550 6.6) with a reason the parser does not keep. */
    static final String BYE = "81 cb 0003 11223344 04 62796521 000000";

    /** SDES (RFC 3550 6.5): one chunk with a 16-byte CNAME, as browsers put in every compound packet. */
    static final String SDES = "81 ca 0006 00000001 01 10 4c6a38364d5a734e7a7a78426c6f4c59 0000";

    /** What Chrome sends as a receive-only peer: RR, SDES CNAME, REMB (capture-like, Chrome's layout). */
    static final String CHROME_RR_REMB = "81 c9 0007 00000001 7a1c94f0 00 000000 00002b67 00000010 8c5e1a40 00002c4a"
            + " " + SDES + " 8f ce 0005 00000001 00000000 52454d42 01 0fbc0b 7a1c94f0";

    /** Chrome's NACK compound: RR, then a generic NACK for 11108 and 11110. */
    static final String CHROME_RR_NACK = "81 c9 0007 00000001 7a1c94f0 03 000002 00002b6f 0000000d 8c5e1a40 00000ae1"
            + " 81 cd 0003 00000001 7a1c94f0 2b64 0002";

    @Test
    void readsASenderReport() throws Exception {
        RtcpSenderReport report = (RtcpSenderReport) single(SENDER_REPORT);

        assertEquals(0x11223344L, report.ssrc());
        assertEquals(0xe1a2b3c4_80000000L, report.ntpTimestamp());
        assertEquals(90_000, report.rtpTimestamp());
        assertEquals(100, report.packetCount());
        assertEquals(10_000, report.octetCount());
        assertEquals(List.of(new RtcpReportBlock(0x55667788L, 10, -2, 65541, 32, 0xb3c48000L, 65536)),
                report.reportBlocks());
        assertEquals(10 / 256.0, report.reportBlocks().get(0).fractionLostRatio());
    }

    @Test
    void readsAReceiverReportWithSignedCumulativeLoss() throws Exception {
        RtcpReceiverReport report = (RtcpReceiverReport) single(RECEIVER_REPORT);

        assertEquals(1, report.ssrc());
        assertEquals(List.of(
                new RtcpReportBlock(0x11223344L, 0, 0, 0x1ffff, 5, 0xe1a2b3c4L, 0x4000),
                new RtcpReportBlock(0x55667788L, 255, 0x7fffff, 0, 0xffffffffL, 0, 0)), report.reportBlocks());
        assertEquals(-1, report.reportBlocks().get(1).roundTripMicros(0x12345678L), "no SR received yet");
    }

    @Test
    void expandsNackBitmasksIntoSequenceNumbersAcrossTheWrap() throws Exception {
        RtcpGenericNack nack = (RtcpGenericNack) single(NACK);

        assertEquals(1, nack.senderSsrc());
        assertEquals(0x11223344L, nack.mediaSsrc());
        assertArrayEquals(new int[] {100, 101, 103, 65534, 65535, 14}, nack.lostSequenceNumbers());
    }

    @ParameterizedTest(name = "PID {0} BLP {1}")
    @CsvSource({
        "0000, 0000, 0",
        "0000, ffff, 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",
        "fff0, 8000, 65520 0",
        "ffff, 0001, 65535 0",
        "1234, 4000, 4660 4675",
    })
    void everyBlpBitNamesOneSequenceNumber(String pid, String blp, String expected) throws Exception {
        RtcpGenericNack nack = (RtcpGenericNack) single("81 cd 0003 00000001 00000002 " + pid + blp);

        assertArrayEquals(Arrays.stream(expected.split(" ")).mapToInt(Integer::parseInt).toArray(),
                nack.lostSequenceNumbers());
    }

    @Test
    void readsPliFirRembAndBye() throws Exception {
        assertEquals(new RtcpPictureLossIndication(1, 0x11223344L), single(PLI));
        assertEquals(new RtcpFullIntraRequest(1, List.of(new RtcpFullIntraRequest.Request(0x11223344L, 7),
                new RtcpFullIntraRequest.Request(0x55667788L, 8))), single(FIR));
        assertEquals(new RtcpRemb(1, 1_000_000, List.of(0x11223344L)), single(REMB));
        assertEquals(new RtcpBye(List.of(0x11223344L)), single(BYE));
    }

    @ParameterizedTest(name = "exp {0} mantissa {1}")
    @CsvSource({
        "0, 0, 0",
        "0, 262143, 262143",
        "6, 15625, 1000000",
        "45, 262143, 9223336852482686976",
        "46, 262143, 9223372036854775807",
        "63, 1, 9223372036854775807",
        "63, 0, 0",
    })
    void rembBitratesAreMantissaTimesTwoToTheExponentCapped(int exponent, int mantissa, long expected)
            throws Exception {
        int field = (exponent << 18) | mantissa;
        String hex = "8f ce 0004 00000001 00000000 52454d42 00 " + String.format("%06x", field);

        assertEquals(new RtcpRemb(1, expected, List.of()), single(hex));
    }

    @Test
    void chromesReceiverReportSdesAndRembCompound() throws Exception {
        List<RtcpPacket> packets = parse(CHROME_RR_REMB);

        assertEquals(3, packets.size());
        RtcpReceiverReport report = (RtcpReceiverReport) packets.get(0);
        assertEquals(new RtcpReportBlock(0x7a1c94f0L, 0, 0, 0x2b67, 16, 0x8c5e1a40L, 0x2c4a),
                report.reportBlocks().get(0));
        assertEquals(new RtcpUnknownPacket(202, 1, 28), packets.get(1));
        RtcpRemb remb = (RtcpRemb) packets.get(2);
        assertEquals((0x3bc0bL) << 3, remb.bitrate());
        assertEquals(List.of(0x7a1c94f0L), remb.ssrcs());
    }

    @Test
    void chromesReceiverReportAndNackCompound() throws Exception {
        List<RtcpPacket> packets = parse(CHROME_RR_NACK);

        assertEquals(2, packets.size());
        RtcpReportBlock block = ((RtcpReceiverReport) packets.get(0)).reportBlocks().get(0);
        assertEquals(3, block.fractionLost());
        assertEquals(2, block.cumulativeLost());
        assertEquals(new RtcpGenericNack(1, 0x7a1c94f0L, new int[] {0x2b64, 0x2b66}), packets.get(1));
    }

    @Test
    void unknownPacketTypesAndFeedbackFormatsAreSkippedSafely() throws Exception {
        List<RtcpPacket> packets = parse("80 cc 0002 00000001 6e616d65" // APP
                + " 80 cf 0001 00000001" // XR with no blocks
                + " 8f cd 0002 00000001 7a1c94f0" // transport-wide CC without FCI
                + " 8f ce 0003 00000001 00000000 41424344" // application feedback that is not REMB
                + " 82 ce 0002 00000001 7a1c94f0" // SLI without FCI
                + " 80 c0 0000" // 192, the pre-RFC 4585 FIR
                + " 80 e0 0000" // 224, outside RTCP's range
                + " 81 ce 0002 00000001 7a1c94f0"); // and the PLI after them is still read

        assertEquals(List.of(new RtcpUnknownPacket(204, 0, 12), new RtcpUnknownPacket(207, 0, 8),
                new RtcpUnknownPacket(205, 15, 12), new RtcpUnknownPacket(206, 15, 16),
                new RtcpUnknownPacket(206, 2, 12), new RtcpUnknownPacket(192, 0, 4),
                new RtcpUnknownPacket(224, 0, 4), new RtcpPictureLossIndication(1, 0x7a1c94f0L)), packets);
    }

    @Test
    void paddingOnTheLastPacketIsRemovedBeforeReading() throws Exception {
        assertEquals(new RtcpPictureLossIndication(1, 2), single("a1 ce 0003 00000001 00000002 00000004"));
        assertEquals(new RtcpBye(List.of(5L)), single("a1 cb 0002 00000005 00000004"));
    }

    @Test
    void readsAtAnOffsetWithinALargerArray() throws Exception {
        byte[] fixture = hex(PLI);
        byte[] padded = new byte[fixture.length + 10];
        System.arraycopy(fixture, 0, padded, 3, fixture.length);

        assertEquals(List.of(new RtcpPictureLossIndication(1, 0x11223344L)),
                RtcpCompoundParser.parse(padded, 3, fixture.length));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "version 1                  | 41 c9 0001 00000001 | version 1",
        "version 0                  | 01 c9 0001 00000001 | version 0",
        "header truncated           | 81 c9 00 | header truncated",
        "length overruns            | 81 c9 0002 00000001 | claims 12 bytes, 8 left",
        "second packet overruns     | 81 ce 0002 00000001 00000002 81 ce 0002 00000001 | at byte 12 claims",
        "padding not on the last    | a1 ce 0002 00000001 00000002 81 ce 0002 00000001 00000002 | not last",
        "padding count 0            | a1 ce 0003 00000001 00000002 00000000 | padding count 0",
        "padding beyond the body    | a1 ce 0002 00000001 0000000d | padding count 13",
        "SR blocks missing          | 82 c8 000c 11223344 e1a2b3c4 80000000 00015f90 00000064 00002710"
            + " 55667788 0a fffffe 00010005 00000020 b3c48000 00010000 | sender report with 2 blocks",
        "SR without sender info     | 80 c8 0001 11223344 | needs 24 bytes",
        "RR without SSRC            | 80 c9 0000 | receiver report",
        "BYE sources missing        | 82 cb 0001 00000001 | BYE with 2 sources",
        "NACK without FCI           | 81 cd 0002 00000001 00000002 | not one or more",
        "feedback header truncated  | 81 cd 0001 00000001 | needs 8 bytes",
        "PLI with FCI               | 81 ce 0003 00000001 00000002 00000003 | PLI carries 4 bytes",
        "FIR without FCI            | 84 ce 0002 00000001 00000000 | FIR FCI of 0 bytes",
        "FIR half an entry          | 84 ce 0003 00000001 00000000 00000005 | FIR FCI of 4 bytes",
        "REMB fixed part truncated  | 8f ce 0003 00000001 00000000 52454d42 | shorter than 8",
        "REMB SSRCs missing         | 8f ce 0004 00000001 00000000 52454d42 02 183d09 | 2 SSRCs",
        "REMB extra bytes           | 8f ce 0006 00000001 00000000 52454d42 01 183d09 00000001 00000002 | 1 SSRCs",
    })
    void refusesMalformedPacketsWithAClearMessage(String name, String hex, String message) {
        RtcpException e = assertThrows(RtcpException.class, () -> parse(hex));
        assertTrue(e.getMessage().contains(message.trim()), e.getMessage());
    }

    @Test
    void refusesEmptyOversizedAndOverlongCompounds() {
        assertTrue(assertThrows(RtcpException.class, () -> RtcpCompoundParser.parse(new byte[4], 2, 0))
                .getMessage().contains("empty"));
        byte[] huge = new byte[RtcpCompoundParser.MAX_COMPOUND_LENGTH + 1];
        assertTrue(assertThrows(RtcpException.class, () -> RtcpCompoundParser.parse(huge, 0, huge.length))
                .getMessage().contains("exceeds"));
        String tiny = "80 ca 0000 ";
        assertEquals(RtcpCompoundParser.MAX_PACKETS_PER_COMPOUND,
                parseUnchecked(tiny.repeat(RtcpCompoundParser.MAX_PACKETS_PER_COMPOUND)).size());
        assertTrue(assertThrows(RtcpException.class,
                () -> parse(tiny.repeat(RtcpCompoundParser.MAX_PACKETS_PER_COMPOUND + 1))).getMessage()
                .contains("more than 64"));
        assertThrows(IndexOutOfBoundsException.class, () -> RtcpCompoundParser.parse(new byte[4], 2, 3),
                "a caller's bad slice is a bug, not bad input");
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of(Named.of("SR", SENDER_REPORT)),
                Arguments.of(Named.of("RR", RECEIVER_REPORT)),
                Arguments.of(Named.of("NACK", NACK)),
                Arguments.of(Named.of("PLI", PLI)),
                Arguments.of(Named.of("FIR", FIR)),
                Arguments.of(Named.of("REMB", REMB)),
                Arguments.of(Named.of("BYE", BYE)),
                Arguments.of(Named.of("Chrome RR+SDES+REMB", CHROME_RR_REMB)),
                Arguments.of(Named.of("Chrome RR+NACK", CHROME_RR_NACK)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyTruncationIsRefusedUnlessItEndsOnAPacketBoundary(String hex) throws Exception {
        byte[] whole = hex(hex);
        List<RtcpPacket> all = RtcpCompoundParser.parse(whole, 0, whole.length);
        for (int length = 0; length < whole.length; length++) {
            try {
                List<RtcpPacket> prefix = RtcpCompoundParser.parse(whole, 0, length);
                assertFalse(prefix.isEmpty());
                assertEquals(all.subList(0, prefix.size()), prefix, "a truncation at a packet boundary at "
                        + length);
            } catch (RtcpException expected) {
                // a clear refusal
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void corruptedFixturesAreReadOrRefusedNeverThrowingUnchecked(String hex) {
        byte[] whole = hex(hex);
        Random random = new Random(hex.hashCode());
        for (int round = 0; round < 5_000; round++) {
            byte[] corrupted = whole.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                corrupted[random.nextInt(corrupted.length)] ^= (byte) (1 << random.nextInt(8));
            }
            parseOrRefuse(corrupted);
        }
    }

    @Test
    void randomGarbageIsReadOrRefusedNeverThrowingUnchecked() {
        Random random = new Random(3550);
        for (int round = 0; round < 50_000; round++) {
            byte[] garbage = new byte[random.nextInt(80)];
            random.nextBytes(garbage);
            for (int at = 0; at + 4 <= garbage.length && random.nextInt(4) != 0; at += 4 * (1 + random.nextInt(6))) {
                garbage[at] = (byte) (0x80 | (garbage[at] & 0x3F)); // plausible headers get past the first checks
                garbage[at + 1] = (byte) (200 + random.nextInt(8));
                garbage[at + 2] = 0;
                garbage[at + 3] = (byte) random.nextInt(8);
            }
            parseOrRefuse(garbage);
        }
    }

    @Test
    void tellsRtcpFromRtpOnAMultiplexedPort() {
        assertTrue(RtcpCompoundParser.isRtcp(hex(PLI), 0, 12));
        assertTrue(RtcpCompoundParser.isRtcp(hex("80 c0"), 0, 2));
        assertTrue(RtcpCompoundParser.isRtcp(hex("80 df"), 0, 2));
        assertFalse(RtcpCompoundParser.isRtcp(hex("80 60 0001"), 0, 3), "RTP PT 96");
        assertFalse(RtcpCompoundParser.isRtcp(hex("80 e0 0001"), 0, 3), "RTP PT 96 with marker");
        assertFalse(RtcpCompoundParser.isRtcp(hex("80"), 0, 1));
    }

    private static void parseOrRefuse(byte[] data) {
        try {
            List<RtcpPacket> packets = RtcpCompoundParser.parse(data, 0, data.length);
            assertFalse(packets.isEmpty());
        } catch (RtcpException expected) {
            assertFalse(expected.getMessage().isEmpty());
        }
    }

    private static RtcpPacket single(String hex) throws RtcpException {
        List<RtcpPacket> packets = parse(hex);
        assertEquals(1, packets.size());
        return packets.get(0);
    }

    static List<RtcpPacket> parse(String hex) throws RtcpException {
        byte[] data = hex(hex);
        return RtcpCompoundParser.parse(data, 0, data.length);
    }

    private static List<RtcpPacket> parseUnchecked(String hex) {
        try {
            return parse(hex);
        } catch (RtcpException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }
}
