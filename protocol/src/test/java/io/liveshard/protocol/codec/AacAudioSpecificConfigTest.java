package io.liveshard.protocol.codec;

import static io.liveshard.protocol.codec.CodecTestBits.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AacAudioSpecificConfigTest {

    static Stream<Arguments> configs() {
        return Stream.of(
                config("AAC LC 44.1 kHz stereo", "1210", new AacAudioSpecificConfig(2, 4, 44100, 2)),
                config("AAC LC 48 kHz stereo", "1190", new AacAudioSpecificConfig(2, 3, 48000, 2)),
                config("AAC LC 44.1 kHz mono", "1208", new AacAudioSpecificConfig(2, 4, 44100, 1)),
                config("AAC LC 8 kHz 5.1", "15b0", new AacAudioSpecificConfig(2, 11, 8000, 6)),
                config("AAC LC 7350 Hz mono", "1608", new AacAudioSpecificConfig(2, 12, 7350, 1)),
                config("HE-AAC (SBR) 24 kHz stereo", "2b10", new AacAudioSpecificConfig(5, 6, 24000, 2)),
                config("explicit 24-bit sampling frequency 12345 Hz", "1780181c88",
                        new AacAudioSpecificConfig(2, 15, 12345, 1)),
                config("escaped audioObjectType 42 (USAC)", "f94640",
                        new AacAudioSpecificConfig(42, 3, 48000, 2)),
                config("escaped audioObjectType with explicit frequency", "f81e01770120",
                        new AacAudioSpecificConfig(32, 15, 48000, 9)));
    }

    private static Arguments config(String name, String hex, AacAudioSpecificConfig expected) {
        return Arguments.of(Named.of(name, hex(hex)), expected);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void parsesAndEncodesTheShortForm(byte[] wire, AacAudioSpecificConfig expected) throws CodecFormatException {
        assertEquals(expected, AacAudioSpecificConfig.parse(wire, 0, wire.length));
        assertArrayEquals(wire, expected.encode());
    }

    @Test
    void readsTheLeadingFieldsOfALongerConfig() throws CodecFormatException {
        byte[] ffmpegWithSbrSignalling = hex("af00 120856e500");

        assertEquals(new AacAudioSpecificConfig(2, 4, 44100, 1),
                AacAudioSpecificConfig.parse(ffmpegWithSbrSignalling, 2, 5));
    }

    @Test
    void ofLooksUpTheFrequencyIndex() {
        assertEquals(new AacAudioSpecificConfig(2, 3, 48000, 2), AacAudioSpecificConfig.of(2, 48000, 2));
        assertEquals(new AacAudioSpecificConfig(2, 15, 44000, 2), AacAudioSpecificConfig.of(2, 44000, 2));
        assertArrayEquals(hex("1210"), AacAudioSpecificConfig.of(AacAudioSpecificConfig.AAC_LC, 44100, 2).encode());
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of(Named.of("empty", new byte[0]), "truncated"),
                Arguments.of(Named.of("one byte", hex("12")), "truncated"),
                Arguments.of(Named.of("audioObjectType 0", hex("0210")), "audioObjectType 0"),
                Arguments.of(Named.of("reserved frequency index 13", hex("1690")), "samplingFrequencyIndex 13"),
                Arguments.of(Named.of("reserved frequency index 14", hex("1710")), "samplingFrequencyIndex 14"),
                Arguments.of(Named.of("explicit frequency 0 Hz", hex("1780000010")), "0 Hz"),
                Arguments.of(Named.of("explicit frequency cut short", hex("1781 81")), "truncated"),
                Arguments.of(Named.of("escape cut short", hex("f8")), "truncated"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void refusesBadConfigs(byte[] data, String reason) {
        CodecFormatException e = assertThrows(CodecFormatException.class,
                () -> AacAudioSpecificConfig.parse(data, 0, data.length));
        assertTrue(e.getMessage().startsWith("AudioSpecificConfig of " + data.length + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void theConstructorRefusesInconsistentFields() {
        assertThrows(IllegalArgumentException.class, () -> new AacAudioSpecificConfig(2, 4, 48000, 2));
        assertThrows(IllegalArgumentException.class, () -> new AacAudioSpecificConfig(0, 4, 44100, 2));
        assertThrows(IllegalArgumentException.class, () -> new AacAudioSpecificConfig(2, 13, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new AacAudioSpecificConfig(2, 15, 1 << 24, 2));
        assertThrows(IllegalArgumentException.class, () -> new AacAudioSpecificConfig(2, 4, 44100, 16));
    }

    @Test
    void randomBytesOnlyEverRaiseTheCheckedException() {
        Random random = new Random(14496);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(8)];
            random.nextBytes(data);
            try {
                AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(data, 0, data.length);
                assertEquals(config, AacAudioSpecificConfig.parse(config.encode(), 0, config.encode().length));
            } catch (CodecFormatException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }
}
