package io.liveshard.protocol.stun;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The STUN side of one ICE-lite session (RFC 8445 sections 2.5, 7.3 and 7.4; RFC 8489 section 9.1.3): answers the
 * peer's Binding requests, never sends checks of its own, and is always in the controlled role.
 *
 * <p>Checks run in the order RFC 8489 section 6.3 gives: FINGERPRINT first (a datagram failing it is not STUN for
 * this port and is dropped), then USERNAME and MESSAGE-INTEGRITY (400 if either is missing, 401 if the username is
 * not this session's or the integrity does not match; neither carries MESSAGE-INTEGRITY), then unknown
 * comprehension-required attributes (420) and a peer that also claims the controlled role (487, so a full agent
 * switches to controlling as RFC 8445 section 6.1.1 requires against a lite agent). Responses after a successful
 * authentication carry MESSAGE-INTEGRITY with the local password, and every response carries FINGERPRINT.
 */
public final class IceLiteResponder {

    /** RFC 8839 section 5.4: ice-char is ALPHA / DIGIT / "+" / "/". */
    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]+");

    /** RFC 8839 section 5.4: ice-ufrag is 4 to 256 ice-chars. */
    public static final int MIN_UFRAG_LENGTH = 4;

    /** RFC 8839 section 5.4: ice-pwd is 22 to 256 ice-chars. */
    public static final int MIN_PASSWORD_LENGTH = 22;

    /** RFC 8839 section 5.4: upper bound of both ufrag and password. */
    public static final int MAX_CREDENTIAL_LENGTH = 256;

    private final String localUfrag;
    private final byte[] integrityKey;
    private final Optional<String> expectedRemoteUfrag;
    private final StunLimits limits;

    /**
     * @param localUfrag          the ufrag the server put in its SDP answer
     * @param localPassword       the password it put there; the MESSAGE-INTEGRITY key
     * @param expectedRemoteUfrag the peer's ufrag from its offer; empty accepts any non-empty one
     * @param limits              what a received datagram may cost
     */
    public IceLiteResponder(String localUfrag, String localPassword, Optional<String> expectedRemoteUfrag,
            StunLimits limits) {
        requireIceChars("local ufrag", localUfrag, MIN_UFRAG_LENGTH);
        requireIceChars("local password", localPassword, MIN_PASSWORD_LENGTH);
        this.localUfrag = localUfrag;
        this.integrityKey = StunMessageIntegrity.shortTermKey(localPassword);
        this.expectedRemoteUfrag = expectedRemoteUfrag;
        this.limits = limits;
    }

    /** The local ufrag a USERNAME "local:remote" names, to find the session a request belongs to. */
    public static Optional<String> localUfragOf(String username) {
        int colon = username.indexOf(':');
        return colon > 0 ? Optional.of(username.substring(0, colon)) : Optional.empty();
    }

    /** Decodes and answers one datagram from {@code sender}; malformed input becomes a {@link IceLiteOutcome.Discard}. */
    public IceLiteOutcome handle(byte[] packet, int offset, int length, InetSocketAddress sender) {
        StunMessage request;
        try {
            request = StunMessage.decode(packet, offset, length, limits);
        } catch (StunException e) {
            return new IceLiteOutcome.Discard("malformed STUN: " + e.getMessage());
        }
        return respond(request, sender);
    }

    /** Answers a decoded message from {@code sender}. */
    public IceLiteOutcome respond(StunMessage request, InetSocketAddress sender) {
        if (request.type() != StunMessageType.BINDING_REQUEST) {
            return new IceLiteOutcome.Discard("not a Binding request: " + request.type());
        }
        if (!request.hasFingerprint()) {
            return new IceLiteOutcome.Discard("no FINGERPRINT, which ICE requires (RFC 8445 section 7)");
        }
        if (!StunFingerprint.verify(request)) {
            return new IceLiteOutcome.Discard("FINGERPRINT mismatch");
        }
        Optional<String> username = request.username();
        if (username.isEmpty() || !request.hasMessageIntegrity()) {
            return error(request, StunErrorCode.BAD_REQUEST, false, List.of());
        }
        Optional<String> remoteUfrag = remoteUfragIfOurs(username.get());
        if (remoteUfrag.isEmpty() || !StunMessageIntegrity.verify(request, integrityKey)) {
            return error(request, StunErrorCode.UNAUTHORIZED, false, List.of());
        }
        if (!request.unknownComprehensionRequired().isEmpty()) {
            List<StunAttribute> extra = List.of(StunAttribute.unknownAttributes(
                    request.unknownComprehensionRequired().stream().mapToInt(Integer::intValue).toArray()));
            return error(request, StunErrorCode.UNKNOWN_ATTRIBUTE, true, extra);
        }
        if (request.iceControlled().isPresent()) {
            return error(request, StunErrorCode.ROLE_CONFLICT, true, List.of());
        }
        byte[] transactionId = request.transactionId();
        StunMessage response = new StunMessage(StunMessageType.BINDING_SUCCESS_RESPONSE, transactionId,
                List.of(StunAttribute.xorMappedAddress(sender, transactionId)));
        return new IceLiteOutcome.Success(response.encodeWithIntegrityAndFingerprint(integrityKey),
                remoteUfrag.get(), request.useCandidate(), request.priority());
    }

    /** The remote ufrag if USERNAME is "localUfrag:remoteUfrag" for this session (RFC 8445 section 7.2.2). */
    private Optional<String> remoteUfragIfOurs(String username) {
        int colon = username.indexOf(':');
        if (colon < 0 || !username.substring(0, colon).equals(localUfrag)) {
            return Optional.empty();
        }
        String remote = username.substring(colon + 1);
        if (remote.isEmpty() || expectedRemoteUfrag.map(expected -> !expected.equals(remote)).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(remote);
    }

    private IceLiteOutcome error(StunMessage request, StunErrorCode error, boolean authenticated,
            List<StunAttribute> extra) {
        List<StunAttribute> attributes = new ArrayList<>();
        attributes.add(StunAttribute.errorCode(error));
        attributes.addAll(extra);
        StunMessage response = new StunMessage(StunMessageType.BINDING_ERROR_RESPONSE, request.transactionId(),
                attributes);
        byte[] bytes = authenticated
                ? response.encodeWithIntegrityAndFingerprint(integrityKey)
                : response.encodeWithFingerprint();
        return new IceLiteOutcome.ErrorResponse(bytes, error);
    }

    private static void requireIceChars(String what, String value, int minLength) {
        if (value.length() < minLength || value.length() > MAX_CREDENTIAL_LENGTH
                || !ICE_CHARS.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be " + minLength + ".." + MAX_CREDENTIAL_LENGTH
                    + " ice-chars (RFC 8839 section 5.4)");
        }
    }
}
