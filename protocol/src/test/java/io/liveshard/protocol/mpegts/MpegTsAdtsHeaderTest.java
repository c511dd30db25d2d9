package io.liveshard.protocol.mpegts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.codec.AacAudioSpecificConfig;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests {@link AdtsHeader}; named for the MPEG-TS package so the {@code MpegTs*Test} filter runs it. */
class MpegTsAdtsHeaderTest {

    /** The fields of an ADTS header, read back bit by bit (ISO/IEC 14496-3 1.A.2.2). */
    private record Fields(int syncword, int id, int layer, int protectionAbsent, int profile, int samplingIndex,
                          int channels, int frameLength, int bufferFullness, int rawDataBlocks) {

        static Fields of(byte[] h) {
            long bits = 0;
            for (byte b : h) {
                bits = (bits << 8) | (b & 0xFF);
            }
            return new Fields(field(bits, 0, 12), field(bits, 12, 1), field(bits, 13, 2), field(bits, 15, 1),
                    field(bits, 16, 2), field(bits, 18, 4), field(bits, 23, 3), field(bits, 30, 13),
                    field(bits, 43, 11), field(bits, 54, 2));
        }

        private static int field(long bits, int from, int width) {
            return (int) ((bits >>> (56 - from - width)) & ((1L << width) - 1));
        }
    }

    @ParameterizedTest(name = "{0} Hz, {1} channel(s), object type {2}, {3}-byte frame")
    @CsvSource({
        "44100, 2, 2, 100,  1, 4",
        "48000, 1, 2, 371,  1, 3",
        "44100, 1, 2, 0,    1, 4",
        "22050, 2, 5, 200,  1, 7",
        "24000, 2, 29, 150, 1, 6",
        "96000, 6, 1, 8184, 0, 0",
        "8000,  7, 4, 1,    3, 11",
    })
    void writesTheFieldsOfTheConfig(int sampleRate, int channels, int objectType, int rawLength,
                                    int expectedProfile, int expectedIndex) throws Exception {
        AdtsHeader adts = AdtsHeader.forConfig(AacAudioSpecificConfig.of(objectType, sampleRate, channels));
        Fields fields = Fields.of(adts.forFrame(rawLength));

        assertEquals(0xFFF, fields.syncword());
        assertEquals(0, fields.id(), "MPEG-4");
        assertEquals(0, fields.layer());
        assertEquals(1, fields.protectionAbsent(), "no CRC: 7-byte header");
        assertEquals(expectedProfile, fields.profile(), "profile_ObjectType (SBR and PS are signalled as LC)");
        assertEquals(expectedIndex, fields.samplingIndex());
        assertEquals(channels, fields.channels());
        assertEquals(7 + rawLength, fields.frameLength(), "aac_frame_length includes the header");
        assertEquals(0x7FF, fields.bufferFullness(), "VBR");
        assertEquals(0, fields.rawDataBlocks(), "one raw data block");
    }

    @Test
    void goldenBytesFor44100HzStereoAndForMono48000Hz() throws Exception {
        assertArrayEquals(HexFormat.of().parseHex("fff150800d7ffc"),
                AdtsHeader.forConfig(AacAudioSpecificConfig.of(2, 44100, 2)).forFrame(100));
        assertArrayEquals(HexFormat.of().parseHex("fff14c402ebffc"),
                AdtsHeader.forConfig(AacAudioSpecificConfig.of(2, 48000, 1)).forFrame(366));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "AAC scalable cannot be a 2-bit profile,  6,  44100, 2, ADTS",
        "ER AAC LD neither,                       23, 48000, 1, ADTS",
        "explicit sampling frequency,             2,  44000, 2, 44000 Hz",
        "program config element,                  2,  48000, 0, channelConfiguration 0",
        "channel configuration beyond 7,          2,  48000, 8, channelConfiguration 8",
    })
    void refusesConfigsAdtsCannotExpress(String name, int objectType, int sampleRate, int channels, String message) {
        AacAudioSpecificConfig config = AacAudioSpecificConfig.of(objectType, sampleRate, channels);
        MpegTsException e = assertThrows(MpegTsException.class, () -> AdtsHeader.forConfig(config));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void refusesFramesLongerThanTheThirteenBitLength() throws Exception {
        AdtsHeader adts = AdtsHeader.forConfig(AacAudioSpecificConfig.of(2, 44100, 2));
        adts.forFrame(8191 - 7);
        MpegTsException e = assertThrows(MpegTsException.class, () -> adts.forFrame(8191 - 6));
        assertTrue(e.getMessage().contains("8191"), e.getMessage());
    }
}
