package io.liveshard.protocol.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.HevcDecoderConfigurationRecord;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The H.265 SPS picture size, from the x265 fixture (coded 640x368, cropped to 640x360), and truncations of it. */
class Fmp4HevcPictureSizeTest {

    private static final HevcDecoderConfigurationRecord RECORD = parseFixture();

    private static HevcDecoderConfigurationRecord parseFixture() {
        byte[] hvcC = Fmp4TestMedia.resource(Fmp4TestMedia.HVCC_FIXTURE);
        try {
            return HevcDecoderConfigurationRecord.parse(hvcC, 0, hvcC.length);
        } catch (CodecFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheSizeAfterTheConformanceWindow() throws Exception {
        assertArrayEquals(new int[] {640, 360}, Fmp4HevcPictureSize.parse(RECORD.sps().get(0)));
    }

    @Test
    void refusesAVps() {
        assertThrows(CodecFormatException.class, () -> Fmp4HevcPictureSize.parse(RECORD.vps().get(0)));
    }

    @ParameterizedTest(name = "first {0} bytes")
    @ValueSource(ints = {0, 1, 2, 3, 10, 14, 16})
    void refusesTruncatedSps(int length) {
        byte[] truncated = Arrays.copyOf(RECORD.sps().get(0), length);
        assertThrows(CodecFormatException.class, () -> Fmp4HevcPictureSize.parse(truncated));
    }
}
