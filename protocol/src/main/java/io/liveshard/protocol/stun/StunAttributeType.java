package io.liveshard.protocol.stun;

import java.util.Optional;

/**
 * The STUN attributes an ICE-lite responder reads or writes (RFC 8489 section 14 and 18.3, RFC 8445 section 16.1).
 * Codes below 0x8000 are comprehension-required: a request carrying one the server does not know is answered with
 * 420 (RFC 8489 section 7.3.1). Codes from 0x8000 are comprehension-optional and are skipped when unknown.
 */
public enum StunAttributeType {
    /** RFC 8489 section 14.3: for ICE, "receiver ufrag:sender ufrag" (RFC 8445 section 7.2.2). */
    USERNAME(0x0006),
    /** RFC 8489 section 14.5: HMAC-SHA1 of the message up to this attribute. */
    MESSAGE_INTEGRITY(0x0008),
    /** RFC 8489 section 14.8: class, number and reason phrase of an error response. */
    ERROR_CODE(0x0009),
    /** RFC 8489 section 14.9: the comprehension-required attributes a 420 response refuses. */
    UNKNOWN_ATTRIBUTES(0x000A),
    /** RFC 8489 section 14.2: the request's source address, XOR-ed with the magic cookie and transaction id. */
    XOR_MAPPED_ADDRESS(0x0020),
    /** RFC 8445 section 7.1.1: priority of the peer-reflexive candidate the request would create. */
    PRIORITY(0x0024),
    /** RFC 8445 section 7.1.2: the controlling agent nominates this pair. */
    USE_CANDIDATE(0x0025),
    /** RFC 8489 section 14.14: the sender's software, free text. */
    SOFTWARE(0x8022),
    /** RFC 8489 section 14.7: CRC-32 of the message, to tell STUN from other traffic on the port. */
    FINGERPRINT(0x8028),
    /** RFC 8445 section 7.1.3: the sender believes it is controlled; carries its tie-breaker. */
    ICE_CONTROLLED(0x8029),
    /** RFC 8445 section 7.1.3: the sender believes it is controlling; carries its tie-breaker. */
    ICE_CONTROLLING(0x802A);

    /** First comprehension-optional code (RFC 8489 section 18.3). */
    public static final int FIRST_COMPREHENSION_OPTIONAL = 0x8000;

    private final int code;

    StunAttributeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The attribute with this code, or empty for one this package does not know. */
    public static Optional<StunAttributeType> fromCode(int code) {
        for (StunAttributeType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Whether a receiver that does not know this code must refuse the request (RFC 8489 section 14). */
    public static boolean isComprehensionRequired(int code) {
        return code < FIRST_COMPREHENSION_OPTIONAL;
    }
}
