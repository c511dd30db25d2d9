package io.liveshard.protocol.amf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes AMF0 values (AMF0 spec, https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf) with the
 * mapping of {@link Amf0Decoder}, so that decoding what this writes gives the values back.
 *
 * <p>Any {@link Number} becomes an AMF0 number (a double); a string of more than 65535 UTF-8 bytes becomes a long
 * string (section 2.14), shorter ones a string; an {@link Amf0EcmaArray} an ECMA array, any other {@link Map} with
 * string keys an object; a {@link List} a strict array. Other Java types are a programming error and throw
 * {@link IllegalArgumentException}.
 */
public final class Amf0Encoder {

    /** Longest UTF-8 string the 16-bit length of a string or property name can carry (AMF0 spec section 1.3). */
    public static final int MAX_SHORT_STRING_BYTES = 0xFFFF;

    private byte[] buffer = new byte[64];
    private int size;

    private Amf0Encoder() {
    }

    /** Encodes the values one after the other, as in an RTMP command message. */
    public static byte[] encode(Object... values) {
        Amf0Encoder encoder = new Amf0Encoder();
        for (Object value : values) {
            encoder.writeValue(value);
        }
        return Arrays.copyOf(encoder.buffer, encoder.size);
    }

    private void writeValue(Object value) {
        if (value == null) {
            writeByte(Amf0Marker.NULL.code());
        } else if (value == Amf0Undefined.INSTANCE) {
            writeByte(Amf0Marker.UNDEFINED.code());
        } else if (value instanceof Number number) {
            writeByte(Amf0Marker.NUMBER.code());
            writeLong(Double.doubleToLongBits(number.doubleValue()), 8);
        } else if (value instanceof Boolean bool) {
            writeByte(Amf0Marker.BOOLEAN.code());
            writeByte(bool ? 1 : 0);
        } else if (value instanceof String string) {
            writeString(string);
        } else if (value instanceof Amf0EcmaArray array) {
            writeByte(Amf0Marker.ECMA_ARRAY.code());
            writeLong(array.size(), 4);
            writeProperties(array);
        } else if (value instanceof Map<?, ?> map) {
            writeByte(Amf0Marker.OBJECT.code());
            writeProperties(map);
        } else if (value instanceof List<?> list) {
            writeByte(Amf0Marker.STRICT_ARRAY.code());
            writeLong(list.size(), 4);
            for (Object element : list) {
                writeValue(element);
            }
        } else if (value instanceof Amf0Date date) {
            writeByte(Amf0Marker.DATE.code());
            writeLong(Double.doubleToLongBits(date.epochMillis()), 8);
            writeLong(date.timezoneMinutes(), 2);
        } else {
            throw new IllegalArgumentException("no AMF0 form for " + value.getClass().getName());
        }
    }

    private void writeString(String string) {
        byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_SHORT_STRING_BYTES) {
            writeByte(Amf0Marker.LONG_STRING.code());
            writeLong(utf8.length, 4);
        } else {
            writeByte(Amf0Marker.STRING.code());
            writeLong(utf8.length, 2);
        }
        writeBytes(utf8);
    }

    private void writeProperties(Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("AMF0 property names are strings, not " + entry.getKey());
            }
            byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > MAX_SHORT_STRING_BYTES) {
                throw new IllegalArgumentException("AMF0 property name of " + utf8.length + " bytes is too long");
            }
            writeLong(utf8.length, 2);
            writeBytes(utf8);
            writeValue(entry.getValue());
        }
        writeLong(0, 2);
        writeByte(Amf0Marker.OBJECT_END.code());
    }

    private void writeLong(long value, int bytes) {
        ensure(bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
    }

    private void writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
    }

    private void writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void ensure(int more) {
        if (buffer.length - size < more) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
