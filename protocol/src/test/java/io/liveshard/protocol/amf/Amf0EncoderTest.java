package io.liveshard.protocol.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Amf0EncoderTest {

    static Stream<Arguments> encodings() {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("app", "live");
        Amf0EcmaArray ecma = new Amf0EcmaArray();
        ecma.put("a", 1.0);
        return Stream.of(
                Arguments.of("Double", 1.0, "003ff0000000000000"),
                Arguments.of("Integer as number", 1, "003ff0000000000000"),
                Arguments.of("Long as number", 1L, "003ff0000000000000"),
                Arguments.of("Boolean", true, "0101"),
                Arguments.of("String", "connect", "020007636f6e6e656374"),
                Arguments.of("null", null, "05"),
                Arguments.of("undefined", Amf0Undefined.INSTANCE, "06"),
                Arguments.of("Map as object", app, "0300036170700200046c697665000009"),
                Arguments.of("ECMA array", ecma, "0800000001000161003ff0000000000000000009"),
                Arguments.of("List as strict array", Arrays.asList(1.0, null), "0a00000002003ff000000000000005"),
                Arguments.of("date", new Amf0Date(0, -60), "0b0000000000000000ffc4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void encodesAsTheSpecSays(String name, Object value, String hex) {
        assertEquals(hex, HexFormat.of().formatHex(Amf0Encoder.encode(value)));
    }

    static Stream<Arguments> roundTrips() {
        Amf0EcmaArray metadata = new Amf0EcmaArray();
        metadata.put("width", 160.0);
        metadata.put("height", 120.0);
        metadata.put("encoder", "Lavf59.27.100");
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner", List.of(metadata, Map.of()));
        nested.put("", "empty key");
        return Stream.of(
                Arguments.of("number", 12345.678),
                Arguments.of("NaN", Double.NaN),
                Arguments.of("infinity", Double.NEGATIVE_INFINITY),
                Arguments.of("boolean", false),
                Arguments.of("string", "NetStream.Publish.Start"),
                Arguments.of("non-ASCII string", "caméra \u4e2d\u6587 \ud83c\udfa5"),
                Arguments.of("string at the short limit", "a".repeat(0xFFFF)),
                Arguments.of("long string", "b".repeat(0x10000)),
                Arguments.of("null", null),
                Arguments.of("undefined", Amf0Undefined.INSTANCE),
                Arguments.of("ECMA array", metadata),
                Arguments.of("nested object", nested),
                Arguments.of("strict array", Arrays.asList(1.0, "x", null, true)),
                Arguments.of("date", new Amf0Date(1.7e12, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void roundTrips(String name, Object value) throws Amf0Exception {
        byte[] data = Amf0Encoder.encode("before", value, "after");
        List<Object> decoded = Amf0Decoder.decodeAll(data, 0, data.length, 16);
        assertEquals(Arrays.asList("before", value, "after"), decoded);
        if (value instanceof Map<?, ?>) {
            assertEquals(value instanceof Amf0EcmaArray, decoded.get(1) instanceof Amf0EcmaArray, "map kind kept");
        }
    }

    @Test
    void usesLongStringAboveShortStringLimit() {
        assertEquals(Amf0Marker.STRING.code(), Amf0Encoder.encode("a".repeat(0xFFFF))[0]);
        // Three UTF-8 bytes per char: 21846 chars are 65538 bytes, over the 16-bit length.
        byte[] encoded = Amf0Encoder.encode("\u20ac".repeat(21_846));
        assertEquals(Amf0Marker.LONG_STRING.code(), encoded[0]);
        assertArrayEquals(new byte[] {0, 1, 0, 2}, Arrays.copyOfRange(encoded, 1, 5));
    }

    @Test
    void refusesValuesWithoutAmf0Form() {
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.encode(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.encode(Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.encode(Map.of("k".repeat(0x10000), 1)));
    }

    @Test
    void markerCodesMapBothWays() {
        for (Amf0Marker marker : Amf0Marker.values()) {
            assertEquals(marker, Amf0Marker.fromCode(marker.code()).orElseThrow());
        }
        assertEquals(java.util.Optional.empty(), Amf0Marker.fromCode(0x12));
        assertEquals(java.util.Optional.empty(), Amf0Marker.fromCode(-1));
    }
}
