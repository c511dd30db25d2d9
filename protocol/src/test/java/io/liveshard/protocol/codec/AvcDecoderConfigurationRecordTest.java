package io.liveshard.protocol.codec;

import static io.liveshard.protocol.codec.CodecTestBits.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvcDecoderConfigurationRecordTest {

    private static final byte[] SPS = hex("6764001eacd940a02ff970110000030001000003003c0f162d96");
    private static final byte[] PPS = hex("68ebe3cb22c0");

    /** The avcC ffmpeg's FLV muxer wrote for x264 at 640x360: one SPS, one PPS, 4-byte lengths. */
    private static final byte[] X264_RECORD = hex("01 64001e ff e1"
            + " 001a 6764001eacd940a02ff970110000030001000003003c0f162d96 01 0006 68ebe3cb22c0");

    @Test
    void parsesARealRecord() throws CodecFormatException {
        AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(X264_RECORD, 0, X264_RECORD.length);

        assertEquals(1, record.configurationVersion());
        assertEquals(100, record.profileIndication());
        assertEquals(0, record.profileCompatibility());
        assertEquals(30, record.levelIndication());
        assertEquals(4, record.nalLengthSize());
        assertArrayEquals(SPS, record.firstSps());
        assertEquals(1, record.pps().size());
        assertArrayEquals(PPS, record.pps().get(0));
        assertArrayEquals(X264_RECORD, record.encode(), "reserved bits are written as 1, like ffmpeg does");
    }

    @Test
    void ignoresTheHighProfileExtensionAfterThePps() throws CodecFormatException {
        byte[] withExtension = Arrays.copyOf(X264_RECORD, X264_RECORD.length + 4);
        System.arraycopy(hex("fdf8f800"), 0, withExtension, X264_RECORD.length, 4);

        assertEquals(AvcDecoderConfigurationRecord.parse(X264_RECORD, 0, X264_RECORD.length),
                AvcDecoderConfigurationRecord.parse(withExtension, 0, withExtension.length));
    }

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of(Named.of("one SPS, one PPS, 4-byte lengths",
                        new AvcDecoderConfigurationRecord(1, 100, 0, 30, 4, List.of(SPS), List.of(PPS)))),
                Arguments.of(Named.of("two SPS, three PPS, 2-byte lengths",
                        new AvcDecoderConfigurationRecord(1, 77, 0x40, 31, 2, List.of(SPS, hex("6742c00d")),
                                List.of(PPS, hex("68ce3c80"), hex("68"))))),
                Arguments.of(Named.of("no parameter sets, 1-byte lengths",
                        new AvcDecoderConfigurationRecord(1, 66, 0xc0, 13, 1, List.of(), List.of()))));
    }

    @ParameterizedTest
    @MethodSource("records")
    void encodeThenParseGivesTheSameRecord(AvcDecoderConfigurationRecord record) throws CodecFormatException {
        byte[] encoded = record.encode();
        byte[] padded = new byte[encoded.length + 5];
        System.arraycopy(encoded, 0, padded, 2, encoded.length);

        AvcDecoderConfigurationRecord parsed = AvcDecoderConfigurationRecord.parse(padded, 2, encoded.length);
        assertEquals(record, parsed);
        assertEquals(record.hashCode(), parsed.hashCode());
    }

    @Test
    void everyTruncationIsRefused() {
        for (int length = 0; length < X264_RECORD.length; length++) {
            int cut = length;
            CodecFormatException e = assertThrows(CodecFormatException.class,
                    () -> AvcDecoderConfigurationRecord.parse(X264_RECORD, 0, cut), "prefix of " + cut);
            assertTrue(e.getMessage().startsWith("truncated AVCDecoderConfigurationRecord"), e.getMessage());
        }
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of(Named.of("version 0", hex("00 64001e ff e1 0001 67 01 0001 68")), "version 0 is not 1"),
                Arguments.of(Named.of("length size 3", hex("01 64001e fe e0 00")), "NAL length size 3"),
                Arguments.of(Named.of("SPS length overruns", hex("01 64001e ff e1 ffff 6764")),
                        "SPS 1 of 65535 bytes"),
                Arguments.of(Named.of("more PPS announced than present", hex("01 64001e ff e0 02 0001 68")),
                        "PPS 2 length"));
    }

    @ParameterizedTest
    @MethodSource("badRecords")
    void refusesBadRecords(byte[] data, String reason) {
        CodecFormatException e = assertThrows(CodecFormatException.class,
                () -> AvcDecoderConfigurationRecord.parse(data, 0, data.length));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aRecordWithoutSpsHasNoFirstSps() {
        AvcDecoderConfigurationRecord record = new AvcDecoderConfigurationRecord(1, 66, 0, 13, 4, List.of(),
                List.of(PPS));
        assertThrows(CodecFormatException.class, record::firstSps);
    }

    @Test
    void theConstructorRefusesWhatTheWireCannotCarry() {
        assertThrows(IllegalArgumentException.class,
                () -> new AvcDecoderConfigurationRecord(1, 66, 0, 13, 3, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new AvcDecoderConfigurationRecord(1, 66, 0, 13, 4, List.of(new byte[65536]), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new AvcDecoderConfigurationRecord(1, 66, 0, 13, 4, java.util.Collections.nCopies(32, SPS),
                        List.of()));
    }

    @Test
    void randomBytesOnlyEverRaiseTheCheckedException() {
        Random random = new Random(1415);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            if (data.length > 0) {
                data[0] = 1;
            }
            try {
                AvcDecoderConfigurationRecord.parse(data, 0, data.length);
            } catch (CodecFormatException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }
}
