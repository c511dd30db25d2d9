package io.liveshard.protocol.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlvWireEnumTest {

    @FunctionalInterface
    interface FromCode {
        Object apply(int code) throws FlvFormatException;
    }

    static Stream<Arguments> wireEnums() {
        return Stream.of(
                wireEnum(FlvTagType.values(), FlvTagType::code, FlvTagType::fromCode, 0, 255),
                wireEnum(FlvVideoFrameType.values(), FlvVideoFrameType::code, FlvVideoFrameType::fromCode, 0, 7),
                wireEnum(FlvVideoCodecId.values(), FlvVideoCodecId::code, FlvVideoCodecId::fromCode, 0, 15),
                wireEnum(FlvVideoPacketType.values(), FlvVideoPacketType::code, FlvVideoPacketType::fromCode, 0, 15),
                wireEnum(FlvSoundFormat.values(), FlvSoundFormat::code, FlvSoundFormat::fromCode, 0, 15),
                wireEnum(FlvAudioPacketType.values(), FlvAudioPacketType::code, FlvAudioPacketType::fromCode, 0, 15));
    }

    private static <E extends Enum<E>> Arguments wireEnum(E[] values, ToIntFunction<E> code, FromCode fromCode,
                                                          int min, int max) {
        return Arguments.of(values[0].getDeclaringClass().getSimpleName(), List.of(values), code, fromCode, min, max);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wireEnums")
    <E extends Enum<E>> void mapsBothWaysAndRejectsUnknownCodes(String name, List<E> values, ToIntFunction<E> code,
                                                                FromCode fromCode, int min, int max)
            throws FlvFormatException {
        for (E value : values) {
            assertEquals(value, fromCode.apply(code.applyAsInt(value)));
        }
        Set<Integer> known = values.stream().map(code::applyAsInt).collect(Collectors.toSet());
        for (int candidate = min - 1; candidate <= max + 1; candidate++) {
            if (!known.contains(candidate)) {
                int unknown = candidate;
                FlvFormatException e = assertThrows(FlvFormatException.class, () -> fromCode.apply(unknown));
                assertTrue(e.getMessage().contains(Integer.toString(unknown)), e.getMessage());
            }
        }
    }

    @Test
    void videoFourCcsAreTheSpecCharactersAndMapToCodecs() throws FlvFormatException {
        assertEquals(0x68766331, FlvVideoFourCc.HVC1.code());
        assertEquals(FlvVideoFourCc.AV01, FlvVideoFourCc.fromCode(0x61763031));
        assertEquals(MediaCodec.H264, FlvVideoFourCc.fromCode(0x61766331).codec());
        assertEquals(MediaCodec.VP9, FlvVideoFourCc.VP09.codec());
        for (FlvVideoFourCc fourCc : FlvVideoFourCc.values()) {
            assertEquals(fourCc, FlvVideoFourCc.fromCode(FlvFourCc.pack(fourCc.text())));
        }
        FlvFormatException e = assertThrows(FlvFormatException.class, () -> FlvVideoFourCc.fromCode(0x78797a31));
        assertTrue(e.getMessage().contains("'xyz1'"), e.getMessage());
        e = assertThrows(FlvFormatException.class, () -> FlvVideoFourCc.fromCode(0x00ff0102));
        assertTrue(e.getMessage().contains("0x00ff0102"), e.getMessage());
    }

    @Test
    void audioFourCcsAreTheSpecCharactersAndMapToCodecs() throws FlvFormatException {
        assertEquals(0x4f707573, FlvAudioFourCc.OPUS.code());
        assertEquals(MediaCodec.AAC, FlvAudioFourCc.fromCode(0x6d703461).codec());
        assertEquals(MediaCodec.OTHER_AUDIO, FlvAudioFourCc.FLAC.codec());
        for (FlvAudioFourCc fourCc : FlvAudioFourCc.values()) {
            assertEquals(fourCc, FlvAudioFourCc.fromCode(FlvFourCc.pack(fourCc.text())));
        }
        assertThrows(FlvFormatException.class, () -> FlvAudioFourCc.fromCode(0));
    }

    @Test
    void onlyAvcAndHevcLegacyIdsCarryTheAvcPacketHeader() {
        assertEquals(List.of(FlvVideoCodecId.AVC, FlvVideoCodecId.HEVC), Arrays.stream(FlvVideoCodecId.values())
                .filter(FlvVideoCodecId::hasAvcPacketHeader).toList());
    }
}
