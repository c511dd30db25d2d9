package io.liveshard.protocol.amf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads AMF0 values (AMF0 spec, https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf) from a complete
 * RTMP command or data message payload, one value at a time.
 *
 * <p>Value mapping: number to {@link Double}, boolean to {@link Boolean}, string and long string to {@link String},
 * object to {@link LinkedHashMap}, ECMA array to {@link Amf0EcmaArray}, strict array to {@link List}, date to
 * {@link Amf0Date}, null to {@code null}, undefined to {@link Amf0Undefined#INSTANCE}. References, typed objects,
 * XML documents, the AMF3 switch and the reserved markers are refused: RTMP clients do not send them in commands
 * or metadata, and supporting references would let a few bytes expand into a huge object graph.
 *
 * <p>Every failure, including truncation, is an {@link Amf0Exception}; no other exception escapes for any input.
 * The payload is complete when decoding starts, so there is no "need more bytes" state here: running out of bytes
 * means the value is truncated.
 */
public final class Amf0Decoder {

    private final byte[] data;
    private final int end;
    private final int maxDepth;
    private int position;

    /**
     * @param maxDepth how many containers (objects, ECMA arrays, strict arrays) may nest inside each other
     */
    public Amf0Decoder(byte[] data, int offset, int length, int maxDepth) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside array of " + data.length);
        }
        if (maxDepth < 0) {
            throw new IllegalArgumentException("max depth " + maxDepth + " is negative");
        }
        this.data = data;
        this.position = offset;
        this.end = offset + length;
        this.maxDepth = maxDepth;
    }

    /** Decodes every value in the range, in order. */
    public static List<Object> decodeAll(byte[] data, int offset, int length, int maxDepth) throws Amf0Exception {
        Amf0Decoder decoder = new Amf0Decoder(data, offset, length, maxDepth);
        List<Object> values = new ArrayList<>();
        while (decoder.hasRemaining()) {
            values.add(decoder.readValue());
        }
        return values;
    }

    public boolean hasRemaining() {
        return position < end;
    }

    /** Index in the array of the next unread byte: where the next value starts. */
    public int position() {
        return position;
    }

    /** Reads the next value; after a failure the decoder's position is unspecified. */
    public Object readValue() throws Amf0Exception {
        return readValue(0);
    }

    private Object readValue(int depth) throws Amf0Exception {
        int markerOffset = position;
        int code = readU8("a type marker");
        Amf0Marker marker = Amf0Marker.fromCode(code).orElseThrow(
                () -> new Amf0Exception(String.format("unknown AMF0 marker 0x%02x at offset %d", code, markerOffset)));
        return switch (marker) {
            case NUMBER -> readDouble("a number");
            case BOOLEAN -> readU8("a boolean") != 0;
            case STRING -> readUtf8(readU16("a string length"), "a string");
            case LONG_STRING -> readUtf8(checkedLength(readU32("a long string length"), "long string"), "a long string");
            case NULL -> null;
            case UNDEFINED -> Amf0Undefined.INSTANCE;
            case OBJECT -> readProperties(new LinkedHashMap<>(), enter(depth, markerOffset));
            case ECMA_ARRAY -> {
                // The count is only a hint (encoders get it wrong); the entries end with the object-end marker.
                readU32("an ECMA array count");
                yield readProperties(new Amf0EcmaArray(), enter(depth, markerOffset));
            }
            case STRICT_ARRAY -> readStrictArray(enter(depth, markerOffset));
            case DATE -> new Amf0Date(readDouble("a date"), (short) readU16("a date time zone"));
            case OBJECT_END -> throw new Amf0Exception("AMF0 object-end marker outside an object at offset " + markerOffset);
            default -> throw new Amf0Exception(String.format("AMF0 marker 0x%02x (%s) at offset %d is not supported",
                    code, marker.name().toLowerCase(Locale.ROOT), markerOffset));
        };
    }

    private int enter(int depth, int markerOffset) throws Amf0Exception {
        if (depth >= maxDepth) {
            throw new Amf0Exception("AMF0 nesting deeper than " + maxDepth + " at offset " + markerOffset);
        }
        return depth + 1;
    }

    private <M extends Map<String, Object>> M readProperties(M map, int depth) throws Amf0Exception {
        while (true) {
            String key = readUtf8(readU16("a property name length"), "a property name");
            if (key.isEmpty() && position < end && data[position] == Amf0Marker.OBJECT_END.code()) {
                position++;
                return map;
            }
            map.put(key, readValue(depth));
        }
    }

    private List<Object> readStrictArray(int depth) throws Amf0Exception {
        // Every element takes at least its marker byte, so a count above the bytes left is a lie worth refusing
        // before it sizes anything.
        int count = checkedLength(readU32("a strict array count"), "strict array count");
        List<Object> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(readValue(depth));
        }
        return list;
    }

    private int checkedLength(long length, String what) throws Amf0Exception {
        if (length > end - position) {
            throw new Amf0Exception("AMF0 " + what + " " + length + " exceeds the " + (end - position)
                    + " bytes left at offset " + position);
        }
        return (int) length;
    }

    private void require(int bytes, String what) throws Amf0Exception {
        if (end - position < bytes) {
            throw new Amf0Exception("AMF0 truncated at offset " + position + ": " + what + " needs " + bytes
                    + " bytes, " + (end - position) + " left");
        }
    }

    private int readU8(String what) throws Amf0Exception {
        require(1, what);
        return data[position++] & 0xFF;
    }

    private int readU16(String what) throws Amf0Exception {
        require(2, what);
        int value = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    private long readU32(String what) throws Amf0Exception {
        require(4, what);
        long value = ((long) (data[position] & 0xFF) << 24) | ((data[position + 1] & 0xFF) << 16)
                | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    private double readDouble(String what) throws Amf0Exception {
        require(8, what);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (data[position + i] & 0xFF);
        }
        position += 8;
        return Double.longBitsToDouble(bits);
    }

    private String readUtf8(int length, String what) throws Amf0Exception {
        require(length, what);
        String value = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }
}
