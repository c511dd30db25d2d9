package io.liveshard.protocol.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtpOpusPacketizerTest {

    private final RtpOpusPacketizer packetizer = new RtpOpusPacketizer(RtpPacketizerConfig.DEFAULT);

    @Test
    void oneOpusPacketBecomesOneRtpPayloadWithoutMarker() throws Exception {
        MediaFrame frame = opus(20, RtpTestMedia.hex("9d 00 01 02 03 04 05 06 07"), 1);

        RtpPacketizedFrame packets = packetizer.packetize(frame);

        assertEquals(1, packets.packetCount());
        assertArrayEquals(RtpTestMedia.hex("00 01 02 03 04 05 06 07"), packets.payload(0));
        assertFalse(packets.marker(0), "no DTX, so never a marker (RFC 7587 4.2)");
        assertFalse(packets.keyframe());
        assertEquals(960, packets.timestamp());
    }

    @ParameterizedTest(name = "pts {0} ms -> {1}")
    @CsvSource({"0, 0", "20, 960", "40, 1920", "89478485, 4294967280", "89478486, 32"})
    void timestampsAreIn48KhzAndWrap(long pts, long expected) throws Exception {
        assertEquals(expected, packetizer.packetize(opus(pts, new byte[] {(byte) 0xfc, 1, 2}, 0)).timestamp());
    }

    @Test
    void consecutiveTwentyMillisecondFramesAre960TicksApart() throws Exception {
        long previous = packetizer.packetize(opus(1000, new byte[] {0x78, 1}, 0)).timestamp();
        for (long pts = 1020; pts < 2000; pts += 20) {
            long timestamp = packetizer.packetize(opus(pts, new byte[] {0x78, 1}, 0)).timestamp();
            assertEquals(960, timestamp - previous);
            previous = timestamp;
        }
    }

    @Test
    void refusesEmptyOversizedAndNonOpusFrames() {
        assertThrows(RtpException.class, () -> packetizer.packetize(opus(0, new byte[0], 0)));
        byte[] big = new byte[1189];
        big[0] = 0x78;
        assertThrows(RtpException.class, () -> packetizer.packetize(opus(0, big, 0)));
        RtpException e = assertThrows(RtpException.class,
                () -> new RtpOpusPacketizer(new RtpPacketizerConfig(100)).packetize(opus(0, Arrays.copyOf(big, 89),
                        0)));
        assertEquals(true, e.getMessage().contains("1..88"), e.getMessage());

        MediaFrame aac = new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, false, false, 0, 0, new byte[] {1, 2}, 0, 0);
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(aac));
        MediaFrame opusHead = new MediaFrame(MediaKind.AUDIO, MediaCodec.OPUS, true, false, 0, 0, new byte[] {1}, 0,
                0);
        assertThrows(IllegalArgumentException.class, () -> packetizer.packetize(opusHead));
    }

    @Test
    void theLargestPayloadFits() throws Exception {
        byte[] largest = new byte[1188];
        assertEquals(1188, packetizer.packetize(opus(0, largest, 0)).payloadLength(0));
    }

    /** An Opus frame whose payload starts at {@code payloadOffset} of its body. */
    private static MediaFrame opus(long pts, byte[] body, int payloadOffset) {
        return new MediaFrame(MediaKind.AUDIO, MediaCodec.OPUS, false, false, pts, 0, body, payloadOffset, 0);
    }
}
