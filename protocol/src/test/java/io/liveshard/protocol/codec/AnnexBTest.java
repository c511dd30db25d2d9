package io.liveshard.protocol.codec;

import static io.liveshard.protocol.codec.CodecTestBits.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnnexBTest {

    private static List<String> nalUnits(byte[] avcc, int nalLengthSize) throws CodecFormatException {
        List<String> nals = new ArrayList<>();
        AnnexB.forEachAvccNal(avcc, 0, avcc.length, nalLengthSize,
                (data, offset, length) -> nals.add(HexFormat.of().formatHex(data, offset, offset + length)));
        return nals;
    }

    static Stream<Arguments> avccUnits() {
        return Stream.of(
                Arguments.of(Named.of("SPS, PPS and IDR with 4-byte lengths",
                        hex("00000004 6764001e 00000002 68eb 00000003 658880")), 4,
                        List.of("6764001e", "68eb", "658880"),
                        hex("00000001 6764001e 00000001 68eb 00000001 658880")),
                Arguments.of(Named.of("2-byte lengths", hex("0002 0910 0003 419a00")), 2,
                        List.of("0910", "419a00"), hex("00000001 0910 00000001 419a00")),
                Arguments.of(Named.of("1-byte lengths and an empty NAL unit", hex("01 09 00 02 4101")), 1,
                        List.of("09", "4101"), hex("00000001 09 00000001 4101")),
                Arguments.of(Named.of("nothing", new byte[0]), 4, List.of(), new byte[0]));
    }

    @ParameterizedTest
    @MethodSource("avccUnits")
    void iteratesAndConvertsLengthPrefixedNalUnits(byte[] avcc, int nalLengthSize, List<String> nals, byte[] annexB)
            throws CodecFormatException {
        assertEquals(nals, nalUnits(avcc, nalLengthSize));
        assertArrayEquals(annexB, AnnexB.avccToAnnexB(avcc, 0, avcc.length, nalLengthSize));
    }

    @Test
    void iteratesInsideALargerArrayWithoutCopying() throws CodecFormatException {
        byte[] body = hex("17 01 000000 00000002 6588 00000001 06");
        List<Integer> offsets = new ArrayList<>();
        AnnexB.forEachAvccNal(body, 5, body.length - 5, 4, (data, offset, length) -> {
            assertTrue(data == body);
            offsets.add(offset);
        });
        assertEquals(List.of(9, 15), offsets);
    }

    static Stream<Arguments> badAvcc() {
        return Stream.of(
                Arguments.of(Named.of("length overruns the data", hex("00000005 65888000")), 4,
                        "NAL unit length 5 at 0 overruns"),
                Arguments.of(Named.of("oversize length prefix", hex("ffffffff 65")), 4, "NAL unit length 4294967295"),
                Arguments.of(Named.of("truncated length prefix", hex("00000001 65 0000")), 4,
                        "truncated NAL length prefix"),
                Arguments.of(Named.of("second NAL unit overruns", hex("0001 65 0009 41")), 2, "overruns"),
                Arguments.of(Named.of("length size 3", hex("000001 65")), 3, "NAL length size"));
    }

    @ParameterizedTest
    @MethodSource("badAvcc")
    void refusesBadLengthPrefixesBeforeCallingTheConsumer(byte[] avcc, int nalLengthSize, String reason) {
        List<String> seen = new ArrayList<>();
        CodecFormatException e = assertThrows(CodecFormatException.class, () -> AnnexB.forEachAvccNal(avcc, 0,
                avcc.length, nalLengthSize, (data, offset, length) -> seen.add("nal")));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(List.of(), seen);
        assertThrows(CodecFormatException.class, () -> AnnexB.avccToAnnexB(avcc, 0, avcc.length, nalLengthSize));
    }

    static Stream<Arguments> annexBStreams() {
        return Stream.of(
                Arguments.of(Named.of("4-byte start codes", hex("00000001 6764 00000001 68eb 00000001 658880")),
                        hex("00000002 6764 00000002 68eb 00000003 658880")),
                Arguments.of(Named.of("3-byte start codes", hex("000001 6764 000001 68eb")),
                        hex("00000002 6764 00000002 68eb")),
                Arguments.of(Named.of("mixed start codes with leading and trailing zeros",
                        hex("0000 00000001 09f0 0000 000001 658800 00000001 41 000000")),
                        hex("00000002 09f0 00000002 6588 00000001 41")),
                Arguments.of(Named.of("emulation prevention bytes stay", hex("00000001 65 000003 01 00")),
                        hex("00000005 65000003 01")),
                Arguments.of(Named.of("garbage before the first start code is dropped", hex("ffee 000001 65")),
                        hex("00000001 65")),
                Arguments.of(Named.of("no start code", hex("6588")), new byte[0]),
                Arguments.of(Named.of("empty NAL units between start codes", hex("000001 000001 65")),
                        hex("00000001 65")));
    }

    @ParameterizedTest
    @MethodSource("annexBStreams")
    void convertsAnnexBToLengthPrefixes(byte[] annexB, byte[] avcc) {
        assertArrayEquals(avcc, AnnexB.annexBToAvcc(annexB, 0, annexB.length));
    }

    @Test
    void roundTripsARealX264AccessUnit() throws CodecFormatException {
        byte[] annexB = hex("00000001 6764001eacd940a02ff970110000030001000003003c0f162d96 00000001 68ebe3cb22c0"
                + " 0000010605ffff aadc45e9bde6d948b7962cd820d923eeef 000001 65888400ff");
        byte[] avcc = AnnexB.annexBToAvcc(annexB, 0, annexB.length);

        assertEquals(4, nalUnits(avcc, 4).size());
        byte[] back = AnnexB.avccToAnnexB(avcc, 0, avcc.length, 4);
        assertArrayEquals(avcc, AnnexB.annexBToAvcc(back, 0, back.length));
    }

    @Test
    void randomBytesOnlyEverRaiseTheCheckedException() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(32)];
            random.nextBytes(data);
            for (int nalLengthSize : new int[] {1, 2, 4}) {
                try {
                    byte[] annexB = AnnexB.avccToAnnexB(data, 0, data.length, nalLengthSize);
                    assertTrue(annexB.length <= 4 * data.length);
                } catch (CodecFormatException expected) {
                    assertFalse(expected.getMessage().isEmpty());
                }
            }
            byte[] avcc = AnnexB.annexBToAvcc(data, 0, data.length);
            try {
                AnnexB.forEachAvccNal(avcc, 0, avcc.length, 4, (nal, offset, length) -> assertTrue(length > 0));
            } catch (CodecFormatException e) {
                throw new AssertionError("annexBToAvcc wrote bad length prefixes", e);
            }
        }
    }
}
