package io.liveshard.protocol.codec;

import static io.liveshard.protocol.codec.CodecTestBits.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

class HevcDecoderConfigurationRecordTest {

    /** See src/test/resources/codec/README.txt. */
    private static byte[] x265Record() throws IOException {
        try (InputStream in = HevcDecoderConfigurationRecordTest.class
                .getResourceAsStream("/codec/x265-main-640x360.hvcC")) {
            return in.readAllBytes();
        }
    }

    @Test
    void parsesTheX265Record() throws Exception {
        byte[] data = x265Record();
        HevcDecoderConfigurationRecord record = HevcDecoderConfigurationRecord.parse(data, 0, data.length);

        assertEquals(0, record.generalProfileSpace());
        assertEquals(0, record.generalTierFlag());
        assertEquals(1, record.generalProfileIdc(), "Main");
        assertEquals(0x60000000L, record.generalProfileCompatibilityFlags(), "Main and Main 10 compatible");
        assertEquals(63, record.generalLevelIdc());
        assertEquals(1, record.chromaFormat());
        assertEquals(4, record.nalLengthSize());
        assertEquals(1, record.vps().size());
        assertEquals(1, record.sps().size());
        assertEquals(1, record.pps().size());
        assertEquals(HevcDecoderConfigurationRecord.NAL_VPS, (record.vps().get(0)[0] >> 1) & 0x3F);
        assertEquals(HevcDecoderConfigurationRecord.NAL_SPS, (record.sps().get(0)[0] >> 1) & 0x3F);
        assertEquals(HevcDecoderConfigurationRecord.NAL_PPS, (record.pps().get(0)[0] >> 1) & 0x3F);
        assertEquals(record, HevcDecoderConfigurationRecord.parse(data.clone(), 0, data.length));
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] data = x265Record();
        for (int length = 0; length < data.length; length++) {
            int cut = length;
            CodecFormatException e = assertThrows(CodecFormatException.class,
                    () -> HevcDecoderConfigurationRecord.parse(data, 0, cut), "prefix of " + cut);
            assertTrue(e.getMessage().startsWith("truncated HEVCDecoderConfigurationRecord"), e.getMessage());
        }
    }

    @Test
    void refusesOtherVersionsAndLengthSize3() {
        byte[] version0 = hex("00 01 60000000 900000000000 3f f000 fc fd f8 f8 0000 0f 00");
        byte[] lengthSize3 = hex("01 01 60000000 900000000000 3f f000 fc fd f8 f8 0000 0e 00");

        assertThrows(CodecFormatException.class, () -> HevcDecoderConfigurationRecord.parse(version0, 0, 23));
        CodecFormatException e = assertThrows(CodecFormatException.class,
                () -> HevcDecoderConfigurationRecord.parse(lengthSize3, 0, 23));
        assertTrue(e.getMessage().contains("length size 3"), e.getMessage());
    }

    @Test
    void randomBytesOnlyEverRaiseTheCheckedException() {
        Random random = new Random(265);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(48)];
            random.nextBytes(data);
            if (data.length > 0) {
                data[0] = 1;
            }
            try {
                HevcDecoderConfigurationRecord.parse(data, 0, data.length);
            } catch (CodecFormatException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }
}
