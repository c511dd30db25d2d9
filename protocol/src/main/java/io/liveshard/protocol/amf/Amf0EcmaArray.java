package io.liveshard.protocol.amf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AMF0 ECMA array (AMF0 spec section 2.10): an associative array, kept as its own type so that re-encoding
 * writes marker 0x08 again. {@code onMetaData} is usually sent as one, and some players only accept that form.
 */
public final class Amf0EcmaArray extends LinkedHashMap<String, Object> {

    public Amf0EcmaArray() {
        super();
    }

    public Amf0EcmaArray(Map<String, ?> entries) {
        super(entries);
    }
}
