package io.liveshard.protocol.amf;

import java.util.Optional;

/**
 * AMF0 type markers, the first byte of every encoded value (AMF0 spec section 2.1, "Action Message Format -- AMF 0",
 * Adobe, 2007: https://rtmp.veriskope.com/pdf/amf0-file-format-specification.pdf).
 */
public enum Amf0Marker {
    NUMBER(0x00),
    BOOLEAN(0x01),
    STRING(0x02),
    OBJECT(0x03),
    /** Reserved by the spec, never sent. */
    MOVIECLIP(0x04),
    NULL(0x05),
    UNDEFINED(0x06),
    REFERENCE(0x07),
    ECMA_ARRAY(0x08),
    OBJECT_END(0x09),
    STRICT_ARRAY(0x0A),
    DATE(0x0B),
    LONG_STRING(0x0C),
    UNSUPPORTED(0x0D),
    /** Reserved by the spec, never sent. */
    RECORDSET(0x0E),
    XML_DOCUMENT(0x0F),
    TYPED_OBJECT(0x10),
    /** Switches the rest of the value to AMF3. */
    AVMPLUS_OBJECT(0x11);

    private static final Amf0Marker[] BY_CODE = values();

    private final int code;

    Amf0Marker(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The marker with this code, or empty for a byte that is no AMF0 marker. */
    public static Optional<Amf0Marker> fromCode(int code) {
        // The markers are numbered 0..0x11 without gaps, in declaration order.
        return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
    }
}
