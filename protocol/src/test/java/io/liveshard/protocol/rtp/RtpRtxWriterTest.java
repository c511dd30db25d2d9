package io.liveshard.protocol.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RTX packets (RFC 4588 section 4) built from the shared payload of a packet first sent on the media stream. */
class RtpRtxWriterTest {

    @Test
    void anRtxPacketCarriesTheOriginalSequenceNumberThenTheOriginalPayload() throws Exception {
        RtpH264Packetizer packetizer = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
        packetizer.configure(new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4,
                List.of(RtpTestMedia.hex("67 42 c0 1e")), List.of(RtpTestMedia.hex("68 ce 3c 80"))));
        RtpPacketizedFrame frame = packetizer.packetize(
                RtpH264PacketizerTest.frame(false, 1000, RtpH264PacketizerTest.nal(0x41, 3000)));
        RtpPacketWriter media = new RtpPacketWriter(0x1111L, 102, 65535, 5);
        byte[] original = new byte[1500];
        int originalLength = media.write(frame, 2, original, 0);
        RtpHeader sent = RtpHeader.parse(original, 0, originalLength);
        RtpRtxWriter rtx = new RtpRtxWriter(0x2222L, 103, 65535);
        byte[] out = new byte[1500];

        int length = rtx.write(frame, 2, sent.sequenceNumber(), media.timestampOf(frame), out, 0);
        int again = rtx.write(frame, 2, sent.sequenceNumber(), media.timestampOf(frame), new byte[1500], 0);

        assertEquals(originalLength + RtpRtxWriter.OSN_SIZE, length);
        RtpHeader header = RtpHeader.parse(out, 0, length);
        assertEquals(0x2222L, header.ssrc());
        assertEquals(103, header.payloadType());
        assertEquals(65535, header.sequenceNumber(), "the RTX stream's own sequence numbers");
        assertEquals(sent.timestamp(), header.timestamp(), "the original timestamp, offset included");
        assertEquals(sent.marker(), header.marker());
        assertEquals(sent.sequenceNumber(), (out[12] & 0xFF) << 8 | out[13] & 0xFF, "OSN");
        assertArrayEquals(Arrays.copyOfRange(original, 12, originalLength), Arrays.copyOfRange(out, 14, length));
        assertEquals(again, length);
        assertEquals(2, rtx.packetCount());
    }

    @Test
    void refusesValuesOutsideTheirFields() {
        assertThrows(IllegalArgumentException.class, () -> new RtpRtxWriter(-1, 96, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtpRtxWriter(1, 128, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtpRtxWriter(1, 96, 65536));
    }
}
