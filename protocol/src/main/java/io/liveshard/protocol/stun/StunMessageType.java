package io.liveshard.protocol.stun;

import java.util.Optional;

/**
 * The Binding method's message types (RFC 8489 sections 5 and 18.2, https://www.rfc-editor.org/rfc/rfc8489):
 * the 14-bit type field combines method 0x001 with the request, indication, success and error classes. ICE
 * (RFC 8445 section 7) uses no other method.
 */
public enum StunMessageType {
    BINDING_REQUEST(0x0001),
    /** RFC 8445 section 11: keepalives a peer may send; they get no answer. */
    BINDING_INDICATION(0x0011),
    BINDING_SUCCESS_RESPONSE(0x0101),
    BINDING_ERROR_RESPONSE(0x0111);

    private final int code;

    StunMessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this 16-bit code, or empty for another method or a code with the top two bits set. */
    public static Optional<StunMessageType> fromCode(int code) {
        for (StunMessageType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
