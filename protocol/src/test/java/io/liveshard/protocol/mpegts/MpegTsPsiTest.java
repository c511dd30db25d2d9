package io.liveshard.protocol.mpegts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liveshard.protocol.mpegts.MpegTsPsi.ElementaryStream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MpegTsPsiTest {

    @Test
    void theCrcMatchesTheCatalogueCheckValue() {
        // CRC-32/MPEG-2 check value from the CRC catalogue (reveng): CRC of "123456789".
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x0376E6E7, MpegTsCrc32.compute(check, 0, check.length));
        assertEquals(0x0376E6E7, MpegTsTestStream.crc32Mpeg2(check, 0, check.length));
    }

    @Test
    void thePatIsTheOneFfmpegWrites() {
        // The PAT ffmpeg's mpegts muxer writes with its defaults (transport_stream_id 1, PMT on 0x1000).
        assertArrayEquals(HexFormat.of().parseHex("00b00d0001c100000001f0002ab104b2"), MpegTsPsi.pat());
        assertCrc(MpegTsPsi.pat());
    }

    static Stream<Arguments> programs() {
        ElementaryStream h264 = new ElementaryStream(MpegTsStreamType.H264, MpegTsPids.VIDEO);
        ElementaryStream h265 = new ElementaryStream(MpegTsStreamType.H265, MpegTsPids.VIDEO);
        ElementaryStream aac = new ElementaryStream(MpegTsStreamType.AAC_ADTS, MpegTsPids.AUDIO);
        return Stream.of(
                Arguments.of("no streams yet", List.of(), MpegTsPids.NULL, 0),
                Arguments.of("H.264 only", List.of(h264), MpegTsPids.VIDEO, 1),
                Arguments.of("AAC only", List.of(aac), MpegTsPids.AUDIO, 1),
                Arguments.of("H.264 and AAC", List.of(h264, aac), MpegTsPids.VIDEO, 2),
                Arguments.of("H.265 and AAC, version wraps", List.of(h265, aac), MpegTsPids.VIDEO, 33));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void thePmtListsTheStreamsAndThePcrPid(String name, List<ElementaryStream> streams, int pcrPid, int version)
            throws Exception {
        byte[] pmt = MpegTsPsi.pmt(streams, pcrPid, version);

        assertCrc(pmt);
        assertEquals(0x02, pmt[0], "table_id");
        assertEquals(0xB0, pmt[1] & 0xF0, "section_syntax_indicator, '0', reserved");
        assertEquals(pmt.length - 3, ((pmt[1] & 0x0F) << 8) | (pmt[2] & 0xFF), "section_length");
        assertEquals(1, ((pmt[3] & 0xFF) << 8) | (pmt[4] & 0xFF), "program_number");
        assertEquals(version % 32, (pmt[5] >> 1) & 0x1F, "version_number");
        assertEquals(1, pmt[5] & 1, "current_next_indicator");
        assertEquals(pcrPid, ((pmt[8] & 0x1F) << 8) | (pmt[9] & 0xFF), "PCR_PID");
        assertEquals(0, ((pmt[10] & 0x0F) << 8) | (pmt[11] & 0xFF), "program_info_length");
        List<ElementaryStream> listed = new ArrayList<>();
        for (int at = 12; at < pmt.length - 4; at += 5) {
            assertEquals(0, ((pmt[at + 3] & 0x0F) << 8) | (pmt[at + 4] & 0xFF), "ES_info_length");
            listed.add(new ElementaryStream(MpegTsStreamType.fromCode(pmt[at] & 0xFF),
                    ((pmt[at + 1] & 0x1F) << 8) | (pmt[at + 2] & 0xFF)));
        }
        assertEquals(streams, listed);
    }

    @Test
    void streamTypesMapBothWays() throws Exception {
        assertEquals(0x1B, MpegTsStreamType.H264.code());
        assertEquals(0x24, MpegTsStreamType.H265.code());
        assertEquals(0x0F, MpegTsStreamType.AAC_ADTS.code());
        for (MpegTsStreamType type : MpegTsStreamType.values()) {
            assertEquals(type, MpegTsStreamType.fromCode(type.code()));
        }
        assertThrows(MpegTsException.class, () -> MpegTsStreamType.fromCode(0x03));
    }

    /** Checks the CRC_32 with the independent implementation, and the Annex A property: CRC over all is 0. */
    private static void assertCrc(byte[] section) {
        int stored = ((section[section.length - 4] & 0xFF) << 24) | ((section[section.length - 3] & 0xFF) << 16)
                | ((section[section.length - 2] & 0xFF) << 8) | (section[section.length - 1] & 0xFF);
        assertEquals(MpegTsTestStream.crc32Mpeg2(section, 0, section.length - 4), stored, "CRC_32");
        assertEquals(0, MpegTsTestStream.crc32Mpeg2(section, 0, section.length), "decoder check gives 0");
    }
}
