package io.liveshard.protocol.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Mp4BoxWriter} and {@link Mp4BoxReader}: byte-exact headers, nesting, and refusal of boxes that do not fit. */
class Fmp4BoxTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    @Test
    void nestedBoxesGetTheirSizesPatchedInPlace() {
        Mp4BoxWriter out = new Mp4BoxWriter(0);
        int outer = out.begin("moov");
        int full = out.beginFull("mfhd", 1, 0x020001);
        out.u32(7);
        out.end(full);
        int empty = out.begin("free");
        out.end(empty);
        out.u16(0xABCD).u24(0x123456).u64(0x0102030405060708L).zeros(2).u8(0xFF);
        out.end(outer);

        assertArrayEquals(hex("00000030 6d6f6f76"
                + " 00000010 6d666864 01020001 00000007"
                + " 00000008 66726565"
                + " abcd 123456 0102030405060708 0000 ff"), out.toByteArray());
    }

    @Test
    void u32WritesTheLow32BitsSoSignedAndUnsignedValuesFit() {
        Mp4BoxWriter out = new Mp4BoxWriter(8);
        out.u32(-2).u32(0xFFFF_FFFEL);
        assertArrayEquals(hex("fffffffe fffffffe"), out.toByteArray());
    }

    @Test
    void theBufferGrowsWithoutLosingWhatWasWritten() {
        Mp4BoxWriter out = new Mp4BoxWriter(1);
        int box = out.begin("mdat");
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        for (int i = 0; i < data.length; i += 1000) {
            out.bytes(data, i, 1000);
        }
        out.end(box);

        byte[] written = out.toByteArray();
        assertEquals(100_008, written.length);
        assertEquals(100_008, ByteBuffer.wrap(written).getInt());
        assertArrayEquals(data, Arrays.copyOfRange(written, 8, written.length));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(value = {"moo", "moovv", "mööv", "''", "mo\tv"}, quoteCharacter = '\'')
    void fourCcNeedsFourAsciiCharacters(String code) {
        assertThrows(IllegalArgumentException.class, () -> new Mp4BoxWriter(8).fourCc(code));
    }

    @Test
    void readerFindsNestedBoxesAndTheirContent() throws Exception {
        Mp4BoxWriter out = new Mp4BoxWriter(64);
        int moov = out.begin("moov");
        int mvhd = out.beginFull("mvhd", 1, 3);
        out.u32(1000);
        out.end(mvhd);
        int trak = out.begin("trak");
        out.end(trak);
        out.end(moov);
        int mdat = out.begin("mdat");
        out.u8(42);
        out.end(mdat);
        byte[] bytes = out.toByteArray();

        List<Mp4Box> top = Mp4BoxReader.read(bytes);
        assertEquals(List.of("moov", "mdat"), top.stream().map(Mp4Box::type).toList());
        Mp4Box moovBox = top.get(0);
        assertEquals(bytes.length - 9, moovBox.size());
        assertEquals(List.of("mvhd", "trak"), moovBox.children().stream().map(Mp4Box::type).toList());
        Mp4Box mvhdBox = moovBox.child("mvhd");
        assertEquals(1, mvhdBox.version());
        assertEquals(3, mvhdBox.flags());
        assertEquals(1000, Fmp4TestMedia.fullFields(mvhdBox).getInt());
        assertArrayEquals(new byte[] {42}, top.get(1).payload());
        assertEquals(bytes.length, top.get(1).end());
    }

    @Test
    void readerUnderstandsLargesizeAndSizeZero() throws Exception {
        byte[] bytes = hex("00000001 6d646174 0000000000000011 aa"   // 17-byte mdat with a 64-bit size
                + " 00000000 66726565 bbcc");                          // free box running to the end
        List<Mp4Box> boxes = Mp4BoxReader.read(bytes);

        assertEquals(2, boxes.size());
        assertEquals(new Mp4Box("mdat", bytes, 0, 17, 16), boxes.get(0));
        assertArrayEquals(hex("aa"), boxes.get(0).payload());
        assertEquals(new Mp4Box("free", bytes, 17, 10, 8), boxes.get(1));
        assertArrayEquals(hex("bbcc"), boxes.get(1).payload());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "size larger than the data,     00000010 6d646174 00",
        "size smaller than a header,    00000007 6d646174",
        "stray bytes after a box,       00000008 66726565 0000",
        "truncated header,              000000",
        "truncated largesize,           00000001 6d646174 0000",
        "largesize smaller than header, 00000001 6d646174 000000000000000f",
        "child larger than its parent,  00000010 6d6f6f76 00000009 74726166",
    })
    void readerRefusesBoxesThatDoNotFit(String name, String hexBytes) {
        byte[] bytes = hex(hexBytes);
        Fmp4Exception e = assertThrows(Fmp4Exception.class, () -> {
            for (Mp4Box box : Mp4BoxReader.read(bytes)) {
                box.children();
            }
        });
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }

    @Test
    void childRequiresExactlyOneBoxOfTheType() throws Exception {
        byte[] bytes = hex("00000018 6d6f6f76 00000008 7472616b 00000008 7472616b");
        Mp4Box moov = Mp4BoxReader.read(bytes).get(0);

        assertEquals(2, moov.children("trak").size());
        assertThrows(Fmp4Exception.class, () -> moov.child("trak"));
        assertThrows(Fmp4Exception.class, () -> moov.child("mvhd"));
        assertThrows(Fmp4Exception.class, () -> moov.children(17));
    }
}
