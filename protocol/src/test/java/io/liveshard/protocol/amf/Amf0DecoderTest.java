package io.liveshard.protocol.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Amf0DecoderTest {

    private static final int DEPTH = 16;

    static Stream<Arguments> fixtures() {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("app", "live");
        Amf0EcmaArray ecma = new Amf0EcmaArray();
        ecma.put("a", 1.0);
        return Stream.of(
                Arguments.of("number 1.0", "003ff0000000000000", 1.0),
                Arguments.of("number -0.5", "00bfe0000000000000", -0.5),
                Arguments.of("boolean true", "0101", true),
                Arguments.of("boolean false", "0100", false),
                Arguments.of("string connect", "020007636f6e6e656374", "connect"),
                Arguments.of("empty string", "020000", ""),
                Arguments.of("utf-8 string", "020003e282ac", "\u20ac"),
                Arguments.of("object", "0300036170700200046c697665000009", app),
                Arguments.of("empty object", "03000009", Map.of()),
                Arguments.of("ecma array", "080000000100016100" + "3ff0000000000000" + "000009", ecma),
                Arguments.of("ecma array with a wrong count", "080000000700016100" + "3ff0000000000000" + "000009",
                        ecma),
                Arguments.of("strict array", "0a00000002003ff000000000000005", Arrays.asList(1.0, null)),
                Arguments.of("date", "0b" + "4271f71fb04b4000" + "0000", new Amf0Date(1.2345678901e12, 0)),
                Arguments.of("date with time zone", "0b" + "0000000000000000" + "ffc4", new Amf0Date(0, -60)),
                Arguments.of("long string", "0c00000003616263", "abc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesFixture(String name, String hex, Object expected) throws Amf0Exception {
        byte[] data = HexFormat.of().parseHex(hex);
        List<Object> values = Amf0Decoder.decodeAll(data, 0, data.length, DEPTH);
        assertEquals(1, values.size());
        assertEquals(expected, values.get(0));
    }

    @Test
    void decodesNullUndefinedAndKeepsTypes() throws Amf0Exception {
        byte[] data = HexFormat.of().parseHex("0506" + "0800000000000009" + "03000009");
        List<Object> values = Amf0Decoder.decodeAll(data, 0, data.length, DEPTH);
        assertNull(values.get(0));
        assertEquals(Amf0Undefined.INSTANCE, values.get(1));
        assertInstanceOf(Amf0EcmaArray.class, values.get(2));
        assertInstanceOf(LinkedHashMap.class, values.get(3));
        assertFalse(values.get(3) instanceof Amf0EcmaArray);
    }

    /** The connect command ffmpeg 5.1 sends (from the capture fixture), which has the common shapes. */
    @Test
    void decodesFfmpegConnectCommand() throws Amf0Exception {
        byte[] data = HexFormat.of().parseHex("020007636f6e6e656374003ff000000000000003000361707002"
                + "00046c6976650004747970650200"
                + "0a6e6f6e70726976617465000866"
                + "6c61736856657202002446"
                + "4d4c452f332e302028636f6d70617469626c653b204c61766635392e32372e31303029"
                + "000574635572"
                + "6c02001b72746d703a2f2f3132372e302e302e313a313933353"
                + "12f6c697665000009");
        List<Object> values = Amf0Decoder.decodeAll(data, 0, data.length, DEPTH);
        assertEquals("connect", values.get(0));
        assertEquals(1.0, values.get(1));
        Map<?, ?> command = (Map<?, ?>) values.get(2);
        assertEquals("live", command.get("app"));
        assertEquals("FMLE/3.0 (compatible; Lavf59.27.100)", command.get("flashVer"));
        assertEquals("rtmp://127.0.0.1:19351/live", command.get("tcUrl"));
    }

    @Test
    void decodesOnlyTheGivenRangeAndReportsPosition() throws Amf0Exception {
        byte[] data = HexFormat.of().parseHex("ff" + "0101" + "0200016b" + "ff");
        Amf0Decoder decoder = new Amf0Decoder(data, 1, data.length - 2, DEPTH);
        assertEquals(true, decoder.readValue());
        assertEquals(3, decoder.position());
        assertEquals("k", decoder.readValue());
        assertFalse(decoder.hasRemaining());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("reference", "070001", "0x07 (reference)"),
                Arguments.of("AMF3 switch", "1101", "0x11 (avmplus_object)"),
                Arguments.of("typed object", "10000141000009", "0x10 (typed_object)"),
                Arguments.of("xml document", "0f00000000", "0x0f (xml_document)"),
                Arguments.of("unsupported marker", "0d", "0x0d (unsupported)"),
                Arguments.of("movieclip", "04", "0x04 (movieclip)"),
                Arguments.of("recordset", "0e", "0x0e (recordset)"),
                Arguments.of("unknown marker 0x12", "12", "unknown AMF0 marker 0x12"),
                Arguments.of("unknown marker 0xff", "ff", "unknown AMF0 marker 0xff"),
                Arguments.of("object end outside an object", "09", "object-end marker outside an object"),
                Arguments.of("strict array count 2^32-1", "0affffffff05", "strict array count 4294967295 exceeds"),
                Arguments.of("long string of 2 GB", "0c7fffffff6162", "long string 2147483647 exceeds the 2 bytes left"),
                Arguments.of("string longer than the data", "02ffff6162", "needs 65535 bytes, 2 left"),
                Arguments.of("object without end", "0300016105", "property name length needs 2 bytes, 0 left"),
                Arguments.of("truncated number", "003ff0", "a number needs 8 bytes, 2 left"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithClearMessage(String name, String hex, String messagePart) {
        byte[] data = HexFormat.of().parseHex(hex);
        Amf0Exception e = assertThrows(Amf0Exception.class, () -> Amf0Decoder.decodeAll(data, 0, data.length, DEPTH));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @ParameterizedTest(name = "{0} nested {1} deep with limit 16: accepted={2}")
    @MethodSource("nestings")
    void limitsNesting(String container, int depth, boolean accepted) {
        byte[] data = nested(container, depth);
        if (accepted) {
            assertDoesNotThrowAmf(data);
        } else {
            Amf0Exception e = assertThrows(Amf0Exception.class,
                    () -> Amf0Decoder.decodeAll(data, 0, data.length, DEPTH));
            assertTrue(e.getMessage().startsWith("AMF0 nesting deeper than 16"), e.getMessage());
        }
    }

    static Stream<Arguments> nestings() {
        return Stream.of("object", "ecma array", "strict array").flatMap(c -> Stream.of(
                Arguments.of(c, 16, true), Arguments.of(c, 17, false), Arguments.of(c, 100_000, false)));
    }

    /** Opens containers without closing them: the hostile form, which must fail on depth, not on truncation. */
    private static byte[] nested(String container, int depth) {
        String open = switch (container) {
            case "object" -> "030001" + "6b";
            case "ecma array" -> "08000000010001" + "6b";
            default -> "0a00000001";
        };
        String close = container.equals("strict array") ? "" : "000009";
        String hex = open.repeat(depth) + "05" + close.repeat(depth);
        return HexFormat.of().parseHex(hex);
    }

    private static void assertDoesNotThrowAmf(byte[] data) {
        try {
            Amf0Decoder.decodeAll(data, 0, data.length, DEPTH);
        } catch (Amf0Exception e) {
            throw new AssertionError("unexpected " + e.getMessage(), e);
        }
    }

    @Test
    void everyTruncationOfAValueIsAnAmf0Exception() throws Amf0Exception {
        Amf0EcmaArray ecma = new Amf0EcmaArray();
        ecma.put("width", 160.0);
        ecma.put("codec", "avc1");
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("number", 3.5);
        all.put("bool", true);
        all.put("string", "text");
        all.put("long", "x".repeat(70_000));
        all.put("null", null);
        all.put("undefined", Amf0Undefined.INSTANCE);
        all.put("ecma", ecma);
        all.put("array", List.of(1.0, "two", List.of()));
        all.put("date", new Amf0Date(1000, 0));
        byte[] data = Amf0Encoder.encode(all);
        assertEquals(List.of(all), Amf0Decoder.decodeAll(data, 0, data.length, DEPTH));
        for (int length = 1; length < data.length; length++) {
            int cut = length;
            assertThrows(Amf0Exception.class, () -> Amf0Decoder.decodeAll(data, 0, cut, DEPTH), "cut at " + cut);
        }
    }

    @Test
    void randomGarbageOnlyEverThrowsAmf0Exception() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(64)];
            random.nextBytes(data);
            if (data.length > 0 && random.nextBoolean()) {
                // Bias towards valid markers so the garbage gets past the first byte.
                data[0] = (byte) random.nextInt(0x0d);
            }
            try {
                Amf0Decoder.decodeAll(data, 0, data.length, DEPTH);
            } catch (Amf0Exception expected) {
                // The only acceptable failure.
            }
        }
    }
}
