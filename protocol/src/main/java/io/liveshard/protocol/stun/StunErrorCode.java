package io.liveshard.protocol.stun;

/**
 * The value of an ERROR-CODE attribute (RFC 8489 section 14.8): a code 300..699 and a reason phrase.
 *
 * @param code   class times 100 plus number, 300..699
 * @param reason reason phrase, at most {@link #MAX_REASON_BYTES} bytes of UTF-8
 */
public record StunErrorCode(int code, String reason) {

    /** RFC 8489 section 14.8: the reason phrase is under 128 characters and at most 763 bytes. */
    public static final int MAX_REASON_BYTES = 763;

    /** RFC 8489 section 14.8: malformed request, or USERNAME/MESSAGE-INTEGRITY missing (section 9.1.3). */
    public static final StunErrorCode BAD_REQUEST = new StunErrorCode(400, "Bad Request");
    /** RFC 8489 section 9.1.3: unknown username or wrong MESSAGE-INTEGRITY. */
    public static final StunErrorCode UNAUTHORIZED = new StunErrorCode(401, "Unauthorized");
    /** RFC 8489 section 7.3.1: a comprehension-required attribute the server does not understand. */
    public static final StunErrorCode UNKNOWN_ATTRIBUTE = new StunErrorCode(420, "Unknown Attribute");
    /** RFC 8445 section 7.3.1.1: both agents claim the same role. */
    public static final StunErrorCode ROLE_CONFLICT = new StunErrorCode(487, "Role Conflict");

    public StunErrorCode {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("STUN error code " + code + " out of range 300..699");
        }
        if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("STUN reason phrase longer than " + MAX_REASON_BYTES + " bytes");
        }
    }
}
