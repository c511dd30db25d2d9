package io.liveshard.protocol.flv;

import static io.liveshard.protocol.flv.FlvTestBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlvMediaParserVideoTest {

    private static final long TIMESTAMP = 4_294_967_396L;
    private static final long INGEST_NANOS = 123_456_789L;

    /** FourCCs as hex: 'avc1', 'hvc1', 'av01', 'vp09', 'vp08'. */
    private static final String AVC1 = "61766331";
    private static final String HVC1 = "68766331";
    private static final String AV01 = "61763031";
    private static final String VP09 = "76703039";
    private static final String VP08 = "76703038";

    record Expected(MediaCodec codec, boolean config, boolean keyframe, int cts, int payloadOffset) {
    }

    static Stream<Arguments> validTags() {
        return Stream.of(
                valid("legacy AVC sequence header", "17 00 000000 01640028ffe1000467640028 01000468ebe3cb",
                        MediaCodec.H264, true, false, 0, 5),
                valid("legacy AVC key frame with CTS", "17 01 000042 00000002 0910",
                        MediaCodec.H264, false, true, 66, 5),
                valid("legacy AVC inter frame with negative CTS", "27 01 ffffd8 00000003 419a00",
                        MediaCodec.H264, false, false, -40, 5),
                valid("legacy AVC disposable inter frame", "37 01 000000 00000001 01",
                        MediaCodec.H264, false, false, 0, 5),
                valid("legacy AVC generated key frame", "47 01 000000 00000001 65",
                        MediaCodec.H264, false, true, 0, 5),
                valid("legacy AVC end of sequence ignores CTS", "17 02 000005",
                        MediaCodec.H264, false, false, 0, 5),
                valid("legacy AVC command frame has no payload", "57 01",
                        MediaCodec.H264, false, false, 0, 2),
                valid("legacy HEVC (codec id 12) sequence header", "1c 00 000000 0101600000",
                        MediaCodec.H265, true, false, 0, 5),
                valid("legacy HEVC key frame", "1c 01 000021 00000003 260188",
                        MediaCodec.H265, false, true, 33, 5),
                valid("legacy HEVC inter frame", "2c 01 7fffff 00000002 0201",
                        MediaCodec.H265, false, false, 8_388_607, 5),
                valid("Sorenson H.263 key frame passes through", "12 000084",
                        MediaCodec.OTHER_VIDEO, false, true, 0, 1),
                valid("VP6 inter frame passes through", "24 00 1234",
                        MediaCodec.OTHER_VIDEO, false, false, 0, 1),
                valid("screen video v2 passes through", "16 ab",
                        MediaCodec.OTHER_VIDEO, false, true, 0, 1),
                valid("enhanced hvc1 SequenceStart", "90 " + HVC1 + " 0101600000",
                        MediaCodec.H265, true, false, 0, 5),
                valid("enhanced hvc1 CodedFrames key frame with CTS", "91 " + HVC1 + " 000010 00000002 2601",
                        MediaCodec.H265, false, true, 16, 8),
                valid("enhanced hvc1 CodedFrames inter frame with negative CTS", "a1 " + HVC1 + " fffff0 00000002 0201",
                        MediaCodec.H265, false, false, -16, 8),
                valid("enhanced hvc1 CodedFramesX key frame", "93 " + HVC1 + " 00000002 2601",
                        MediaCodec.H265, false, true, 0, 5),
                valid("enhanced hvc1 SequenceEnd", "92 " + HVC1,
                        MediaCodec.H265, false, false, 0, 5),
                valid("enhanced hvc1 Metadata (colorInfo)", "d4 " + HVC1 + " 02000963 6f6c6f72496e666f",
                        MediaCodec.H265, false, false, 0, 5),
                valid("enhanced avc1 CodedFrames", "91 " + AVC1 + " 000021 00000001 65",
                        MediaCodec.H264, false, true, 33, 8),
                valid("enhanced av01 SequenceStart", "90 " + AV01 + " 81000c00",
                        MediaCodec.AV1, true, false, 0, 5),
                valid("enhanced av01 CodedFrames has no CTS", "91 " + AV01 + " 12000a0b",
                        MediaCodec.AV1, false, true, 0, 5),
                valid("enhanced av01 MPEG2TSSequenceStart", "95 " + AV01 + " 80",
                        MediaCodec.AV1, false, false, 0, 5),
                valid("enhanced vp09 SequenceStart", "90 " + VP09 + " 01000000",
                        MediaCodec.VP9, true, false, 0, 5),
                valid("enhanced vp09 inter CodedFrames", "a1 " + VP09 + " 8642",
                        MediaCodec.VP9, false, false, 0, 5),
                valid("enhanced vp08 passes through", "91 " + VP08 + " 9d012a",
                        MediaCodec.OTHER_VIDEO, false, true, 0, 5),
                valid("enhanced unknown FourCC passes through", "91 78797a31 0000",
                        MediaCodec.OTHER_VIDEO, false, true, 0, 5),
                valid("enhanced command frame has no FourCC and no payload", "d1 00",
                        MediaCodec.OTHER_VIDEO, false, false, 0, 2),
                valid("enhanced ModEx TimestampOffsetNano before CodedFrames",
                        "97 02 0f423f 01 " + HVC1 + " 000001 00000001 26",
                        MediaCodec.H265, false, true, 1, 13),
                valid("enhanced ModEx with 16-bit size before CodedFramesX",
                        "97 ff 0100 " + "00".repeat(257) + " 03 " + AV01 + " 12",
                        MediaCodec.AV1, false, true, 0, 1 + 1 + 2 + 257 + 1 + 4),
                valid("enhanced two ModEx blocks", "97 00 00 07 00 00 01 " + AVC1 + " 000000 65",
                        MediaCodec.H264, false, true, 0, 14));
    }

    private static Arguments valid(String name, String hex, MediaCodec codec, boolean config, boolean keyframe,
                                   int cts, int payloadOffset) {
        return Arguments.of(Named.of(name, hex(hex)), new Expected(codec, config, keyframe, cts, payloadOffset));
    }

    @ParameterizedTest
    @MethodSource("validTags")
    void parsesVideoTag(byte[] body, Expected expected) throws FlvFormatException {
        MediaFrame frame = FlvMediaParser.parseVideo(body, TIMESTAMP, INGEST_NANOS);

        assertEquals(MediaKind.VIDEO, frame.kind());
        assertEquals(expected, new Expected(frame.codec(), frame.config(), frame.keyframe(), frame.cts(),
                frame.payloadOffset()));
        assertSame(body, frame.body(), "the body is kept, not copied");
        assertEquals(TIMESTAMP, frame.dts());
        assertEquals(INGEST_NANOS, frame.ingestNanos());
    }

    @ParameterizedTest
    @MethodSource("validTags")
    void truncationInsideTheHeaderIsRefusedAndAfterItKeepsTheHeader(byte[] body, Expected expected)
            throws FlvFormatException {
        for (int length = 0; length < body.length; length++) {
            byte[] prefix = Arrays.copyOf(body, length);
            if (length < expected.payloadOffset()) {
                assertThrows(FlvFormatException.class, () -> FlvMediaParser.parseVideo(prefix, 0, 0),
                        "prefix of " + length + " bytes");
            } else {
                MediaFrame frame = FlvMediaParser.parseVideo(prefix, 0, 0);
                assertEquals(expected.payloadOffset(), frame.payloadOffset(), "prefix of " + length + " bytes");
                assertEquals(expected.codec(), frame.codec());
            }
        }
    }

    static Stream<Arguments> invalidTags() {
        return Stream.of(
                invalid("empty body", "", "truncated video tag"),
                invalid("legacy AVC without AVCPacketType", "17", "AVCPacketType"),
                invalid("legacy AVC with half a CTS", "17 01 00", "CompositionTime"),
                invalid("legacy AVC with unknown AVCPacketType", "17 03 000000", "unknown AVCPacketType 3"),
                invalid("reserved frame type 0", "07 01 000000", "reserved video frame type 0"),
                invalid("reserved frame type 6", "67 01 000000", "reserved video frame type 6"),
                invalid("unknown legacy codec id 8", "18 00", "unknown legacy video codec id 8"),
                invalid("unknown legacy codec id 0", "10 00", "unknown legacy video codec id 0"),
                invalid("legacy command frame without command", "57", "video command"),
                invalid("enhanced reserved frame type", "f1 " + HVC1, "reserved video frame type 7"),
                invalid("enhanced reserved packet type", "98 " + HVC1, "reserved Enhanced RTMP video packet type 8"),
                invalid("enhanced multitrack", "96 00 " + HVC1, "multitrack"),
                invalid("enhanced truncated FourCC", "90 6876", "video FourCC"),
                invalid("enhanced hvc1 CodedFrames without CTS", "91 " + HVC1 + " 00", "CompositionTime"),
                invalid("enhanced ModEx without size", "97", "ModEx data size"),
                invalid("enhanced ModEx data overruns the body", "97 05 0000", "ModEx data"),
                invalid("enhanced command frame without command", "d1", "video command"));
    }

    private static Arguments invalid(String name, String hex, String reason) {
        return Arguments.of(Named.of(name, hex(hex)), reason);
    }

    @ParameterizedTest
    @MethodSource("invalidTags")
    void refusesBadVideoTag(byte[] body, String reason) {
        FlvFormatException e = assertThrows(FlvFormatException.class, () -> FlvMediaParser.parseVideo(body, 0, 0));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void randomBodiesOnlyEverRaiseTheCheckedException() {
        Random random = new Random(20240601);
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[random.nextInt(24)];
            random.nextBytes(body);
            try {
                MediaFrame frame = FlvMediaParser.parseVideo(body, 0, 0);
                assertTrue(frame.payloadOffset() <= body.length);
            } catch (FlvFormatException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }
}
