package io.liveshard.protocol.codec;

import static io.liveshard.protocol.codec.CodecTestBits.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class H264SpsParserTest {

    /** SPS NAL units x264 wrote through the Debian 12 ffmpeg 5.1 (testsrc2 input), checked with trace_headers. */
    static Stream<Arguments> realSps() {
        return Stream.of(
                sps("x264 high 640x360 30 fps (bottom crop)",
                        "6764001eacd940a02ff970110000030001000003003c0f162d96",
                        new H264Sps(100, 0x00, 30, 1, 640, 360, 30.0)),
                sps("x264 high 1920x1080 30 fps (bottom crop)",
                        "67640028acd940780227e5c044000003000400000300f03c60c658",
                        new H264Sps(100, 0x00, 40, 1, 1920, 1080, 30.0)),
                sps("x264 baseline 320x240 25 fps (pic_order_cnt_type 2)",
                        "6742c00dd90141fb011000000300100000030320f142a480",
                        new H264Sps(66, 0xc0, 13, 1, 320, 240, 25.0)),
                sps("x264 main 1280x720 25 fps",
                        "674d401feca02802dd80880000030008000003019078c18cb0",
                        new H264Sps(77, 0x40, 31, 1, 1280, 720, 25.0)),
                sps("x264 high 4:4:4 352x288 30 fps (chroma_format_idc 3)",
                        "67f4000d919b282c12d80880000003008000001e078a14cb",
                        new H264Sps(244, 0x00, 13, 3, 352, 288, 30.0)),
                sps("x264 high 642x362 23.976 fps (right and bottom crop)",
                        "6764001eacd940a42fe224c04400000fa40002ee003c58b658",
                        new H264Sps(100, 0x00, 30, 1, 642, 362, 24000.0 / 1001)),
                sps("x264 high 720x576 interlaced 25 fps (frame_mbs_only_flag 0)",
                        "6764001eacd940b424d8088000000300800000190f8a14cb",
                        new H264Sps(100, 0x00, 30, 1, 720, 576, 25.0)),
                sps("crafted high 1920x1080 MBAFF with scaling lists, pic_order_cnt_type 1 and a full VUI",
                        "67640028ad880c82bfffffffffffffffa85446494078044fdffe000800076a020203e000007d20001d4c1080",
                        new H264Sps(100, 0x00, 40, 1, 1920, 1080, 60000.0 / 2002)));
    }

    private static Arguments sps(String name, String hex, H264Sps expected) {
        return Arguments.of(Named.of(name, hex(hex)), expected);
    }

    @ParameterizedTest
    @MethodSource("realSps")
    void readsSizeProfileLevelAndFrameRate(byte[] nal, H264Sps expected) throws CodecFormatException {
        H264Sps sps = H264SpsParser.parse(nal, 0, nal.length);

        assertEquals(expected.profileIdc(), sps.profileIdc());
        assertEquals(expected.constraintFlags(), sps.constraintFlags());
        assertEquals(expected.levelIdc(), sps.levelIdc());
        assertEquals(expected.chromaFormatIdc(), sps.chromaFormatIdc());
        assertEquals(expected.width() + "x" + expected.height(), sps.width() + "x" + sps.height());
        assertEquals(expected.frameRate(), sps.frameRate(), 1e-9);
    }

    @ParameterizedTest
    @MethodSource("realSps")
    void readsTheSpsInsideALargerArray(byte[] nal, H264Sps expected) throws CodecFormatException {
        byte[] padded = new byte[nal.length + 7];
        System.arraycopy(nal, 0, padded, 3, nal.length);

        assertEquals(expected.width(), H264SpsParser.parse(padded, 3, nal.length).width());
    }

    @ParameterizedTest
    @MethodSource("realSps")
    void truncatedSpsIsRefusedOrStillReadsTheSameValues(byte[] nal, H264Sps expected) {
        for (int length = 0; length < nal.length; length++) {
            try {
                H264Sps sps = H264SpsParser.parse(Arrays.copyOf(nal, length), 0, length);
                // Only the trailing bits after the timing info may be missing: nothing read may change.
                assertEquals(expected.width(), sps.width(), "prefix of " + length);
                assertEquals(expected.frameRate(), sps.frameRate(), 1e-9, "prefix of " + length);
            } catch (CodecFormatException expectedRefusal) {
                assertFalse(expectedRefusal.getMessage().isEmpty());
            }
        }
    }

    @Test
    void withoutVuiTheFrameRateIsUnknown() throws CodecFormatException {
        byte[] nal = baseline(10, 8).flag(false).flag(false).spsNal();

        H264Sps sps = H264SpsParser.parse(nal, 0, nal.length);
        assertEquals(176, sps.width());
        assertEquals(144, sps.height());
        assertTrue(Double.isNaN(sps.frameRate()));
    }

    @Test
    void vuiWithoutTimingInfoGivesAnUnknownFrameRate() throws CodecFormatException {
        byte[] nal = baseline(10, 8).flag(false).flag(true)
                .flag(true).u(8, 1)                    // aspect_ratio_idc 1 (square)
                .flag(false).flag(false).flag(false)   // overscan, video signal, chroma loc
                .flag(false)                           // timing_info_present_flag
                .spsNal();

        assertTrue(Double.isNaN(H264SpsParser.parse(nal, 0, nal.length).frameRate()));
    }

    @Test
    void rfc6381CodecNamesProfileConstraintsAndLevel() throws CodecFormatException {
        byte[] nal = hex("674d401feca02802dd80880000030008000003019078c18cb0");

        assertEquals("avc1.4d401f", H264SpsParser.parse(nal, 0, nal.length).rfc6381Codec());
    }

    static Stream<Arguments> badSps() {
        return Stream.of(
                bad("empty", new byte[0], "empty SPS"),
                bad("a PPS", hex("68ebe3cb22c0"), "NAL unit type 8 is not an SPS"),
                bad("forbidden_zero_bit set", hex("e764001e"), "forbidden_zero_bit"),
                bad("only a header", hex("67"), "truncated"),
                bad("seq_parameter_set_id 32", new CodecTestBits().u(24, 0x42c01e).ue(32).spsNal(),
                        "seq_parameter_set_id 32 exceeds 31"),
                bad("chroma_format_idc 4", new CodecTestBits().u(24, 0x64001e).ue(0).ue(4).spsNal(),
                        "chroma_format_idc 4 exceeds 3"),
                bad("pic_order_cnt_type 3", new CodecTestBits().u(24, 0x42c01e).ue(0).ue(0).ue(3).spsNal(),
                        "pic_order_cnt_type 3 exceeds 2"),
                bad("Exp-Golomb code with 31 leading zeros", new CodecTestBits().u(24, 0x42c01e).u(40, 0).spsNal(),
                        "Exp-Golomb"),
                bad("a picture wider than any level allows", baseline(1055, 8).spsNal(),
                        "pic_width_in_mbs_minus1 1055 exceeds 1054"),
                bad("cropping more than the picture", baseline(10, 8).flag(true).ue(0).ue(0).ue(0).ue(72).spsNal(),
                        "leaves nothing"),
                bad("scaling list delta out of range", new CodecTestBits().u(24, 0x64001e).ue(0).ue(1).ue(0).ue(0)
                        .flag(false).flag(true).flag(true).se(200).spsNal(), "delta_scale 200"),
                bad("too many reference frames in the POC cycle", new CodecTestBits().u(24, 0x42c01e).ue(0).ue(0)
                        .ue(1).flag(false).se(0).se(0).ue(256).spsNal(), "num_ref_frames_in_pic_order_cnt_cycle"));
    }

    private static Arguments bad(String name, byte[] nal, String reason) {
        return Arguments.of(Named.of(name, nal), reason);
    }

    @ParameterizedTest
    @MethodSource("badSps")
    void refusesBadSps(byte[] nal, String reason) {
        CodecFormatException e = assertThrows(CodecFormatException.class,
                () -> H264SpsParser.parse(nal, 0, nal.length));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void randomBytesOnlyEverRaiseTheCheckedException() {
        Random random = new Random(264);
        for (int i = 0; i < 20_000; i++) {
            byte[] nal = new byte[1 + random.nextInt(40)];
            random.nextBytes(nal);
            nal[0] = 0x67;
            try {
                H264Sps sps = H264SpsParser.parse(nal, 0, nal.length);
                assertTrue(sps.width() > 0 && sps.height() > 0, sps.toString());
            } catch (CodecFormatException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }

    /** A baseline SPS up to and including frame cropping's flag position: size in macroblocks minus one. */
    private static CodecTestBits baseline(int widthInMbsMinus1, int heightInMbsMinus1) {
        return new CodecTestBits()
                .u(8, 66).u(8, 0xc0).u(8, 30)
                .ue(0)          // seq_parameter_set_id
                .ue(0)          // log2_max_frame_num_minus4
                .ue(2)          // pic_order_cnt_type
                .ue(1)          // max_num_ref_frames
                .flag(false)    // gaps_in_frame_num_value_allowed_flag
                .ue(widthInMbsMinus1)
                .ue(heightInMbsMinus1)
                .flag(true)     // frame_mbs_only_flag
                .flag(true);    // direct_8x8_inference_flag
    }
}
