package io.liveshard.protocol.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.rtp.RtpH264TestDepacketizer.AccessUnit;
import io.liveshard.protocol.rtp.RtpTestMedia.H264Stream;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RtpH264PacketizerTest {

    private static final byte[] SPS = RtpTestMedia.hex("67 42 c0 1e d9 00 a0 47 fe c8");
    private static final byte[] PPS = RtpTestMedia.hex("68 ce 3c 80");
    private static final AvcDecoderConfigurationRecord CONFIG =
            new AvcDecoderConfigurationRecord(1, 0x42, 0xc0, 0x1e, 4, List.of(SPS), List.of(PPS));

    @ParameterizedTest(name = "max packet size {0}")
    @ValueSource(ints = {1200, 64, 100, 500, 1436})
    void theFixtureRoundTripsThroughAnIndependentDepacketizer(int maxPacketSize) throws Exception {
        H264Stream stream = RtpTestMedia.fixture();
        RtpH264Packetizer packetizer = new RtpH264Packetizer(new RtpPacketizerConfig(maxPacketSize));
        packetizer.configure(stream.config());
        RtpPacketWriter writer = new RtpPacketWriter(0x1234_5678L, 102, 65_500, 0);
        RtpH264TestDepacketizer depacketizer = new RtpH264TestDepacketizer();
        List<List<byte[]>> expected = new ArrayList<>();
        int fragmented = 0;
        for (MediaFrame frame : stream.accessUnits()) {
            RtpPacketizedFrame packets = packetizer.packetize(frame);
            List<byte[]> nals = new ArrayList<>();
            if (frame.keyframe()) {
                nals.add(stream.config().sps().get(0));
                nals.add(stream.config().pps().get(0));
            }
            for (byte[] nal : RtpTestMedia.nalUnits(frame, stream.config().nalLengthSize())) {
                int type = nal[0] & 0x1F;
                if (type != 9 && type != 12) {
                    nals.add(nal);
                }
            }
            expected.add(nals);
            assertEquals(frame.pts() * 90, packets.timestamp());
            for (int i = 0; i < packets.packetCount(); i++) {
                assertEquals(i == packets.packetCount() - 1, packets.marker(i), "marker only on the last packet");
                byte[] packet = write(writer, packets, i);
                assertTrue(packet.length <= maxPacketSize, "packet of " + packet.length + " bytes");
                fragmented += (packet[12] & 0x1F) == RtpH264Packetizer.FU_A ? 1 : 0;
                depacketizer.accept(packet);
            }
        }
        List<AccessUnit> received = depacketizer.accessUnits();
        assertEquals(15, received.size(), "one second at 15 fps");
        for (int i = 0; i < received.size(); i++) {
            assertEquals(stream.accessUnits().get(i).pts() * 90, received.get(i).timestamp());
            assertNalUnitsEqual(expected.get(i), received.get(i).nalUnits(), "access unit " + i);
        }
        assertTrue(fragmented > 0, "the IDR of a 320x240 picture needs FU-A");
        assertTrue(writer.packetCount() > stream.accessUnits().size());
        assertEquals(15, packetizer.packetizedFrames());
    }

    @Test
    void everyKeyFrameOfTheFixtureStartsWithOneStapABeginningWithTheSpsAndPps() throws Exception {
        H264Stream stream = RtpTestMedia.fixture();
        RtpH264Packetizer packetizer = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
        packetizer.configure(stream.config());
        byte[] sps = stream.config().sps().get(0);
        byte[] pps = stream.config().pps().get(0);
        ByteArrayOutputStream stap = new ByteArrayOutputStream();
        stap.write(0x78); // F=0, NRI=3 (x264's SPS and PPS), type 24
        stap.write(sps.length >> 8);
        stap.write(sps.length);
        stap.writeBytes(sps);
        stap.write(pps.length >> 8);
        stap.write(pps.length);
        stap.writeBytes(pps);
        int keyframes = 0;
        for (MediaFrame frame : stream.accessUnits()) {
            RtpPacketizedFrame packets = packetizer.packetize(frame);
            assertEquals(frame.keyframe(), packets.keyframe());
            boolean startsWithStapA = (packets.payload(0)[0] & 0x1F) == RtpH264Packetizer.STAP_A;
            assertEquals(frame.keyframe(), startsWithStapA, "STAP-A exactly in front of key frames");
            if (frame.keyframe()) {
                keyframes++;
                byte[] first = packets.payload(0);
                assertArrayEquals(Arrays.copyOfRange(stap.toByteArray(), 1, stap.size()),
                        Arrays.copyOfRange(first, 1, stap.size()), "SPS and PPS first in the STAP-A");
                assertFalse(packets.marker(0));
            }
        }
        assertEquals(1, keyframes);
    }

    @Test
    void aLargeNalUnitIsCutIntoFuAFragmentsOfNearEqualSize() throws Exception {
        byte[] idr = nal(0x65, 3000);
        RtpPacketizedFrame packets = packetizer(1200).packetize(frame(true, 0, idr));

        assertEquals(1 + 3, packets.packetCount(), "STAP-A, then 2999 bytes in fragments of at most 1186");
        int total = 0;
        for (int i = 1; i < packets.packetCount(); i++) {
            byte[] payload = packets.payload(i);
            assertEquals(0x7C, payload[0] & 0xFF, "FU indicator: F=0, NRI=3 of the IDR, type 28");
            int fuHeader = payload[1] & 0xFF;
            assertEquals(i == 1, (fuHeader & 0x80) != 0, "S bit on the first fragment only");
            assertEquals(i == 3, (fuHeader & 0x40) != 0, "E bit on the last fragment only");
            assertEquals(0, fuHeader & 0x20, "R bit");
            assertEquals(5, fuHeader & 0x1F, "the NAL unit type");
            assertTrue(payload.length - 2 == 999 || payload.length - 2 == 1000, "balanced: " + payload.length);
            assertArrayEquals(Arrays.copyOfRange(idr, 1 + total, 1 + total + payload.length - 2),
                    Arrays.copyOfRange(payload, 2, payload.length));
            total += payload.length - 2;
            assertEquals(i == 3, packets.marker(i));
        }
        assertEquals(idr.length - 1, total);
    }

    @ParameterizedTest(name = "NAL unit of {0} bytes with max payload 1188 -> {1} packet(s)")
    @CsvSource({
        "1, 1",
        "1187, 1",
        "1188, 1",
        "1189, 2",
        "2373, 2",
        "2374, 3",
        "60000, 51",
    })
    void fragmentCountsAtTheBoundaries(int nalLength, int expectedPackets) throws Exception {
        byte[] slice = nal(0x41, nalLength);
        RtpPacketizedFrame packets = packetizer(1200).packetize(frame(false, 40, slice));

        assertEquals(expectedPackets, packets.packetCount());
        RtpH264TestDepacketizer depacketizer = new RtpH264TestDepacketizer();
        RtpPacketWriter writer = new RtpPacketWriter(1, 96, 0, 0);
        for (int i = 0; i < packets.packetCount(); i++) {
            byte[] packet = write(writer, packets, i);
            assertTrue(packet.length <= 1200);
            depacketizer.accept(packet);
        }
        assertNalUnitsEqual(List.of(slice), depacketizer.accessUnits().get(0).nalUnits(), "the NAL unit");
    }

    @ParameterizedTest(name = "pts {0} ms -> RTP timestamp {1}")
    @CsvSource({
        "0, 0",
        "1, 90",
        "1000, 90000",
        "47721858, 4294967220",
        "47721859, 14",
        "95443717, 4294967234",
        "-1, 4294967206",
    })
    void theTimestampIsThePtsIn90KhzWrappedTo32Bits(long pts, long expected) throws Exception {
        RtpPacketizedFrame packets = packetizer(1200).packetize(frameAt(pts, nal(0x41, 10)));

        assertEquals(expected, packets.timestamp());
    }

    @Test
    void theCompositionOffsetMovesTheTimestampNotTheDecodeTime() throws Exception {
        MediaFrame bFrame = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, false, 1000, 133,
                avcc(nal(0x01, 10)), 5, 0);

        assertEquals(1133 * 90, packetizer(1200).packetize(bFrame).timestamp());
    }

    @Test
    void delimitersFillerAndRtpReservedTypesAreDropped() throws Exception {
        byte[] aud = RtpTestMedia.hex("09 f0");
        byte[] sei = nal(0x06, 20);
        byte[] slice = nal(0x41, 50);
        byte[] filler = RtpTestMedia.hex("0c ff ff ff 80");
        byte[] stapLike = nal(0x18, 5);
        byte[] fuLike = nal(0x1c, 5);
        byte[] zero = nal(0x00, 5);
        RtpH264Packetizer packetizer = packetizer(1200);

        RtpPacketizedFrame packets = packetizer.packetize(frame(false, 0, aud, sei, slice, filler, stapLike, fuLike,
                zero));

        assertEquals(1, packets.packetCount(), "the SEI and the slice share one STAP-A");
        assertArrayEquals(stapA(0x40, sei, slice), packets.payload(0), "NRI of the slice, the higher");
        assertTrue(packets.marker(0));
        assertEquals(5, packetizer.droppedNalUnits());
    }

    @Test
    void anAccessUnitOfOnlyADelimiterGivesNoPackets() throws Exception {
        RtpPacketizedFrame packets = packetizer(1200).packetize(frame(false, 0, RtpTestMedia.hex("09 f0")));

        assertEquals(0, packets.packetCount());
        assertEquals(0, packets.totalPayloadLength());
    }

    @Test
    void anIdrSliceGetsParameterSetsEvenWithoutTheKeyFrameFlag() throws Exception {
        RtpPacketizedFrame packets = packetizer(1200).packetize(frame(false, 0, nal(0x65, 30)));

        assertTrue(packets.keyframe());
        assertEquals(1, packets.packetCount());
        assertArrayEquals(stapA(0x60, SPS, PPS, nal(0x65, 30)), packets.payload(0));
    }

    @Test
    void inBandParameterSetsAreSentAsTheyAreAndNotDoubled() throws Exception {
        byte[] newSps = RtpTestMedia.hex("67 42 c0 1f aa bb");
        byte[] newPps = RtpTestMedia.hex("68 ce 3c 81");
        byte[] idr = nal(0x65, 30);

        RtpPacketizedFrame packets = packetizer(1200).packetize(frame(true, 0, newSps, newPps, idr));

        assertEquals(1, packets.packetCount());
        assertArrayEquals(stapA(0x60, newSps, newPps, idr), packets.payload(0));
    }

    @Test
    void parameterSetsTooLargeForOneStapAGoOneByOne() throws Exception {
        byte[] bigSps = nal(0x67, 40);
        byte[] bigPps = nal(0x68, 30);
        RtpH264Packetizer packetizer = new RtpH264Packetizer(new RtpPacketizerConfig(64));
        packetizer.configure(new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4, List.of(bigSps), List.of(bigPps)));

        RtpPacketizedFrame packets = packetizer.packetize(frame(true, 0, nal(0x65, 20)));

        assertEquals(3, packets.packetCount(), "1 + 2 + 40 + 2 + 30 bytes exceed a 52-byte payload");
        assertArrayEquals(bigSps, packets.payload(0));
        assertArrayEquals(bigPps, packets.payload(1));

        packetizer.configure(new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4, List.of(nal(0x67, 60)),
                List.of(bigPps)));
        RtpPacketizedFrame fragmentedSps = packetizer.packetize(frame(true, 0, nal(0x65, 20)));
        assertEquals(4, fragmentedSps.packetCount(), "a 60-byte SPS in two FU-A fragments, PPS, IDR");
        assertEquals(0x80 | 7, fragmentedSps.payload(0)[1] & 0xFF);
    }

    @Test
    void theStapAHeaderTakesTheHighestNriOfItsNalUnits() throws Exception {
        RtpH264Packetizer packetizer = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
        packetizer.configure(new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4, List.of(nal(0x27, 8)),
                List.of(nal(0x48, 4))));

        assertEquals(0x40 | 24, packetizer.packetize(frame(true, 0, nal(0x65, 1300))).payload(0)[0] & 0xFF);
        assertEquals(0x60 | 24, packetizer.packetize(frame(true, 0, nal(0x65, 8))).payload(0)[0] & 0xFF,
                "with the IDR inside, the IDR's NRI 3");
    }

    @Test
    void aNewConfigurationReplacesTheParameterSets() throws Exception {
        RtpH264Packetizer packetizer = packetizer(1200);
        byte[] sps2 = RtpTestMedia.hex("67 4d 00 28 ab");
        packetizer.configure(new AvcDecoderConfigurationRecord(1, 77, 0, 40, 2, List.of(sps2), List.of(PPS)));

        MediaFrame twoByteLengths = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, true, 0, 0,
                RtpTestMedia.hex("17 01 000000 0003 65 88 84"), 5, 0);
        RtpPacketizedFrame packets = packetizer.packetize(twoByteLengths);

        assertArrayEquals(RtpTestMedia.hex("78 0005 67 4d 00 28 ab 0004 68 ce 3c 80 0003 65 88 84"),
                packets.payload(0));
    }

    @Test
    void smallNalUnitsShareStapAsUpToOnePayloadAndLargeOnesSplitTheRun() throws Exception {
        byte[] stamp = nal(0x06, 30);
        byte[] a = nal(0x41, 500);
        byte[] b = nal(0x41, 600);
        byte[] c = nal(0x41, 100);
        byte[] big = nal(0x41, 2000);
        byte[] d = nal(0x01, 40);
        byte[] alone = nal(0x41, 1187);

        RtpPacketizedFrame packets = packetizer(1200).packetize(frame(false, 0, stamp, a, b, c, big, d, alone));

        // 1 + (2+30) + (2+500) + (2+600) = 1137 fits 1188; adding c (2+100) would not.
        assertArrayEquals(stapA(0x40, stamp, a, b), packets.payload(0));
        assertArrayEquals(c, packets.payload(1), "alone before the large one: a single NAL unit packet");
        assertEquals(RtpH264Packetizer.FU_A, packets.payload(2)[0] & 0x1F);
        assertEquals(RtpH264Packetizer.FU_A, packets.payload(3)[0] & 0x1F);
        assertArrayEquals(d, packets.payload(4), "a STAP-A of d and the next would exceed the payload");
        assertArrayEquals(alone, packets.payload(5), "1187 bytes fit a single NAL unit packet (1188) but no STAP-A");
        assertEquals(6, packets.packetCount());
        RtpH264TestDepacketizer depacketizer = new RtpH264TestDepacketizer();
        RtpPacketWriter writer = new RtpPacketWriter(1, 96, 0, 0);
        for (int i = 0; i < packets.packetCount(); i++) {
            depacketizer.accept(write(writer, packets, i));
        }
        assertNalUnitsEqual(List.of(stamp, a, b, c, big, d, alone), depacketizer.accessUnits().get(0).nalUnits(),
                "the access unit");
    }

    @Test
    void aKeyFramesParameterSetsAndLatencyStampShareOnePacket() throws Exception {
        byte[] stamp = nal(0x06, 30);
        RtpPacketizedFrame packets = packetizer(1200).packetize(frame(true, 0, stamp, nal(0x65, 3000)));

        assertArrayEquals(stapA(0x60, SPS, PPS, stamp), packets.payload(0));
        assertEquals(1 + 3, packets.packetCount(), "the STAP-A, then the IDR in three fragments");
    }

    @Test
    void badInputIsRefusedWithAClearException() throws Exception {
        RtpH264Packetizer unconfigured = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
        assertTrue(assertThrows(RtpException.class, () -> unconfigured.packetize(frame(true, 0, nal(0x65, 8))))
                .getMessage().contains("before the decoder configuration"));

        RtpH264Packetizer packetizer = packetizer(1200);
        MediaFrame overrun = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, false, 0, 0,
                RtpTestMedia.hex("27 01 000000 00000010 41 9a"), 5, 0);
        assertTrue(assertThrows(RtpException.class, () -> packetizer.packetize(overrun)).getMessage()
                .contains("overruns"));
        MediaFrame truncatedLength = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, false, 0, 0,
                RtpTestMedia.hex("27 01 000000 0000"), 5, 0);
        assertThrows(RtpException.class, () -> packetizer.packetize(truncatedLength));

        assertThrows(RtpException.class, () -> packetizer.configure(
                new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4, List.of(SPS), List.of())));
        assertThrows(RtpException.class, () -> packetizer.configure(
                new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4, List.of(new byte[0]), List.of(PPS))));

        MediaFrame config = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, true, false, 0, 0,
                RtpTestMedia.hex("17 00 000000"), 5, 0);
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(config));
        MediaFrame hevc = new MediaFrame(MediaKind.VIDEO, MediaCodec.H265, false, false, 0, 0,
                RtpTestMedia.hex("1c 01 000000"), 5, 0);
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(hevc));
    }

    @Test
    void thePacketsReferToTheFrameBodyWithoutCopying() throws Exception {
        MediaFrame frame = frame(false, 0, nal(0x41, 40));
        RtpPacketizedFrame packets = packetizer(1200).packetize(frame);

        frame.body()[frame.payloadOffset() + 4 + 1] = 0x55; // never done to a real frame: proves the sharing
        assertEquals(0x55, packets.payload(0)[1]);
    }

    /** A STAP-A by hand (RFC 6184 5.7.1): header with {@code nri}, then a 16-bit size before each NAL unit. */
    static byte[] stapA(int nri, byte[]... nals) {
        ByteArrayOutputStream stap = new ByteArrayOutputStream();
        stap.write(nri | RtpH264Packetizer.STAP_A);
        for (byte[] nal : nals) {
            stap.write(nal.length >> 8);
            stap.write(nal.length);
            stap.writeBytes(nal);
        }
        return stap.toByteArray();
    }

    static void assertNalUnitsEqual(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": NAL unit count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ": NAL unit " + i);
        }
    }

    static byte[] write(RtpPacketWriter writer, RtpPacketizedFrame frame, int index) {
        byte[] buffer = new byte[1500];
        int length = writer.write(frame, index, buffer, 0);
        return Arrays.copyOf(buffer, length);
    }

    private static RtpH264Packetizer packetizer(int maxPacketSize) throws RtpException {
        RtpH264Packetizer packetizer = new RtpH264Packetizer(new RtpPacketizerConfig(maxPacketSize));
        packetizer.configure(CONFIG);
        return packetizer;
    }

    /** A NAL unit of {@code length} bytes with this header byte and a counting pattern after it. */
    static byte[] nal(int header, int length) {
        byte[] nal = new byte[length];
        nal[0] = (byte) header;
        for (int i = 1; i < length; i++) {
            nal[i] = (byte) (i * 7 + 3);
        }
        return nal;
    }

    static MediaFrame frame(boolean keyframe, long dts, byte[]... nals) {
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, keyframe, dts, 0, avcc(nals), 5, 0);
    }

    private static MediaFrame frameAt(long pts, byte[] nal) {
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, false, pts, 0, avcc(nal), 5, 0);
    }

    /** An FLV AVC NALU tag body: the 5-byte video tag header, then 4-byte length-prefixed NAL units. */
    private static byte[] avcc(byte[]... nals) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(RtpTestMedia.hex("27 01 000000"));
        for (byte[] nal : nals) {
            body.write(nal.length >>> 24);
            body.write(nal.length >>> 16);
            body.write(nal.length >>> 8);
            body.write(nal.length);
            body.writeBytes(nal);
        }
        return body.toByteArray();
    }
}
