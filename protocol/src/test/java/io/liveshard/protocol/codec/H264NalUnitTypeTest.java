package io.liveshard.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class H264NalUnitTypeTest {

    @ParameterizedTest(name = "header {0} is {1}")
    @CsvSource({
        "0x67, SPS", "0x68, PPS", "0x65, SLICE_IDR", "0x41, SLICE_NON_IDR", "0x01, SLICE_NON_IDR", "0x06, SEI",
        "0x09, ACCESS_UNIT_DELIMITER", "0x0a, END_OF_SEQUENCE", "0x0b, END_OF_STREAM", "0x0c, FILLER_DATA",
        "0x78, OTHER", "0x00, OTHER", "0x7c, OTHER"})
    void readsTheTypeFromTheHeaderByte(String header, H264NalUnitType expected) {
        assertEquals(expected, H264NalUnitType.ofHeader((byte) Integer.parseInt(header.substring(2), 16)));
    }

    @Test
    void everyValueMapsAndNamedOnesRoundTrip() throws CodecFormatException {
        Set<Integer> unnamed = Set.of(0, 17, 18, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
        for (int code = 0; code < 32; code++) {
            H264NalUnitType type = H264NalUnitType.of(code);
            if (unnamed.contains(code)) {
                assertEquals(H264NalUnitType.OTHER, type);
                int unknown = code;
                assertThrows(CodecFormatException.class, () -> H264NalUnitType.fromCode(unknown));
            } else {
                assertEquals(code, type.code());
                assertEquals(type, H264NalUnitType.fromCode(code));
            }
        }
        assertEquals(H264NalUnitType.OTHER, H264NalUnitType.of(-1));
        assertEquals(H264NalUnitType.OTHER, H264NalUnitType.of(32));
    }

    @Test
    void slicesAreTypesOneToFive() {
        assertTrue(H264NalUnitType.SLICE_IDR.isSlice());
        assertTrue(H264NalUnitType.SLICE_NON_IDR.isSlice());
        assertFalse(H264NalUnitType.SPS.isSlice());
        assertFalse(H264NalUnitType.OTHER.isSlice());
    }
}
