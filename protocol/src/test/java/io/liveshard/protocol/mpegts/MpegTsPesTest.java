package io.liveshard.protocol.mpegts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MpegTsPesTest {

    private static final long WRAP = 1L << 33;

    @Test
    void aPtsOnlyHeaderHasTheClassicLayout() throws Exception {
        // PTS 90000 (1 s) encodes as 21 00 05 bf 21, as in any ffmpeg-written stream starting at 1 s.
        byte[] header = MpegTsPes.header(MpegTsPes.STREAM_ID_AUDIO, 90_000, 90_000, 100);
        assertArrayEquals(HexFormat.of().parseHex("000001c0006c848005210005bf21"), header);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "first frame at 0 ms,           0,      0",
        "one minute,                    60000,  0",
        "B-frame reference (cts > 0),   1066,   133",
        "long CTS,                      5000,   2000",
        "just before the 33-bit wrap,   95442700, 0",
        "PTS wraps but DTS does not,    95442700, 100",
        "both past the wrap,            95444000, 66",
        "DTS before the offset,         -1500,  40",
    })
    void ptsAndDtsRoundTripThroughTheHeader(String name, long dtsMs, int ctsMs) throws Exception {
        long dts = MpegTsClock.ticks(dtsMs);
        long pts = MpegTsClock.ticks(dtsMs + ctsMs);
        byte[] header = MpegTsPes.header(MpegTsPes.STREAM_ID_VIDEO, pts, dts, 1000);

        assertEquals(0xE0, header[3] & 0xFF);
        assertEquals(0x84, header[6] & 0xFF, "'10' and data_alignment_indicator");
        if (ctsMs == 0) {
            assertEquals(0x80, header[7] & 0xFF, "PTS only");
            assertEquals(5, header[8]);
            assertEquals(Math.floorMod(dts, WRAP), MpegTsTestStream.readTimestamp(header, 9, 0b0010));
            assertEquals(14, header.length);
        } else {
            assertEquals(0xC0, header[7] & 0xFF, "PTS and DTS");
            assertEquals(10, header[8]);
            assertEquals(Math.floorMod(pts, WRAP), MpegTsTestStream.readTimestamp(header, 9, 0b0011));
            assertEquals(Math.floorMod(dts, WRAP), MpegTsTestStream.readTimestamp(header, 14, 0b0001));
            assertEquals(19, header.length);
        }
        assertEquals(header.length - 6 + 1000, ((header[4] & 0xFF) << 8) | (header[5] & 0xFF));
    }

    @Test
    void timestampsAreMillisecondsTimes90PlusOneSecond() {
        assertEquals(90_000, MpegTsClock.ticks(0));
        assertEquals(90_000 + 90 * 1234, MpegTsClock.ticks(1234));
        assertEquals(25_408, MpegTsClock.wrap(MpegTsClock.ticks(95_443_000)), "wrapped after about 26.5 hours");
        assertEquals(WRAP - 90 * 100, MpegTsClock.wrap(MpegTsClock.ticks(-1100)), "a modulo, not a clamp");
    }

    @ParameterizedTest(name = "payload of {0} bytes gives PES_packet_length {1}")
    @CsvSource({"0, 8", "65527, 65535", "65528, 0", "1000000, 0"})
    void longVideoPesPacketsAreUnbounded(long payloadLength, int expected) throws Exception {
        byte[] header = MpegTsPes.header(MpegTsPes.STREAM_ID_VIDEO, 90_000, 90_000, payloadLength);
        assertEquals(expected, ((header[4] & 0xFF) << 8) | (header[5] & 0xFF));
    }

    @Test
    void anAudioPesThatDoesNotFitIsRefused() throws Exception {
        MpegTsPes.header(MpegTsPes.STREAM_ID_AUDIO, 90_000, 90_000, 65527);
        MpegTsException e = assertThrows(MpegTsException.class,
                () -> MpegTsPes.header(MpegTsPes.STREAM_ID_AUDIO, 90_000, 90_000, 65528));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }
}
