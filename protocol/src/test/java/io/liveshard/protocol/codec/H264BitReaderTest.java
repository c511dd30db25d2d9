package io.liveshard.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class H264BitReaderTest {

    /** ITU-T H.264 Table 9-2 and 9-3: bit strings and their ue(v) and se(v) values. */
    @ParameterizedTest(name = "{0} -> ue {1}, se {2}")
    @CsvSource({
        "1, 0, 0",
        "010, 1, 1",
        "011, 2, -1",
        "00100, 3, 2",
        "00101, 4, -2",
        "00110, 5, 3",
        "00111, 6, -3",
        "0001000, 7, 4",
        "000000011111111, 254, -127",
        "0000000000000000000000000000001111111111111111111111111111111, 2147483646, -1073741823"})
    void decodesExpGolomb(String bits, long ue, long se) throws CodecFormatException {
        byte[] data = new CodecTestBits().u(bits.length(), Long.parseLong(bits, 2)).bytes();

        assertEquals(ue, new H264BitReader(data, 0, data.length).readUnsignedExpGolomb());
        assertEquals(se, new H264BitReader(data, 0, data.length).readSignedExpGolomb());
    }

    @Test
    void readsFixedWidthFieldsAcrossByteBoundaries() throws CodecFormatException {
        byte[] data = CodecTestBits.hex("ff a5 12 34 56 78 9a");
        H264BitReader in = new H264BitReader(data, 1, 6);

        assertEquals(0b101, in.readBits(3));
        assertEquals(0b00101, in.readBits(5));
        assertEquals(0x12345678L, in.readUnsigned32());
        assertEquals(8, in.bitsLeft());
        in.skipBits(7);
        assertEquals(false, in.readFlag());
        assertEquals(0, in.bitsLeft());
    }

    @Test
    void refusesToReadPastTheEnd() throws CodecFormatException {
        H264BitReader in = new H264BitReader(new byte[] {0, 0, (byte) 0x80, 1}, 0, 3);
        in.skipBits(20);

        CodecFormatException e = assertThrows(CodecFormatException.class, () -> in.readBits(5));
        assertTrue(e.getMessage().contains("truncated at bit 20 of 24"), e.getMessage());
    }

    @Test
    void refusesExpGolombPrefixesLongerThanTheLimit() {
        byte[] zeros = new byte[8];
        CodecFormatException e = assertThrows(CodecFormatException.class,
                () -> new H264BitReader(zeros, 0, zeros.length).readUnsignedExpGolomb());
        assertTrue(e.getMessage().contains("leading zeros"), e.getMessage());
    }

    @Test
    void anExpGolombCodeCutShortIsTruncation() {
        byte[] data = {0x00, 0x01};
        assertThrows(CodecFormatException.class, () -> new H264BitReader(data, 0, 2).readUnsignedExpGolomb());
    }
}
