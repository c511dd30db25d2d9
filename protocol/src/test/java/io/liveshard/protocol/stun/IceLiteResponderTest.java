package io.liveshard.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IceLiteResponderTest {

    private static final String LOCAL_UFRAG = "LsUf";
    private static final String LOCAL_PASSWORD = "liveshardLocalPassword24";
    private static final String REMOTE_UFRAG = "EsAw";
    private static final byte[] TID = java.util.HexFormat.of().parseHex("a1a2a3a4a5a6a7a8a9aaabac");
    private static final byte[] KEY = StunMessageIntegrity.shortTermKey(LOCAL_PASSWORD);

    private static final IceLiteResponder RESPONDER =
            new IceLiteResponder(LOCAL_UFRAG, LOCAL_PASSWORD, Optional.of(REMOTE_UFRAG), StunLimits.defaults());

    /** A request shaped like Chromium's nominating check: USERNAME, GOOG-NETWORK-INFO, ICE-CONTROLLING, ... */
    private static StunRawMessage chromiumCheck(String username) {
        return new StunRawMessage(0x0001, TID)
                .text(StunAttributeType.USERNAME, username)
                .attribute(0xC057, new byte[] {0, 1, 0, 10})
                .attribute(StunAttributeType.ICE_CONTROLLING.code(),
                        ByteBuffer.allocate(8).putLong(0x1234_5678_9abc_def0L).array())
                .attribute(StunAttributeType.USE_CANDIDATE.code(), new byte[0])
                .attribute(StunAttributeType.PRIORITY.code(), ByteBuffer.allocate(4).putInt(1853824767).array());
    }

    static Stream<Arguments> senders() throws Exception {
        return Stream.of(
                Arguments.of("IPv4", new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853)),
                Arguments.of("IPv6", new InetSocketAddress(
                        InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853)),
                Arguments.of("loopback, high port", new InetSocketAddress(InetAddress.getLoopbackAddress(), 65535)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("senders")
    void answersAnAuthenticatedCheck(String name, InetSocketAddress sender) throws Exception {
        byte[] request = chromiumCheck(LOCAL_UFRAG + ":" + REMOTE_UFRAG).integrity(LOCAL_PASSWORD).fingerprint()
                .bytes();
        IceLiteOutcome.Success success = assertInstanceOf(IceLiteOutcome.Success.class,
                RESPONDER.handle(request, 0, request.length, sender));
        assertEquals(REMOTE_UFRAG, success.remoteUfrag());
        assertTrue(success.useCandidate());
        assertEquals(OptionalLong.of(1853824767), success.priority());
        StunMessage response = StunMessage.decode(success.response(), 0, success.response().length,
                StunLimits.defaults());
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, response.type());
        assertArrayEquals(TID, response.transactionId());
        assertEquals(Optional.of(sender), response.xorMappedAddress());
        assertEquals(List.of(StunAttributeType.XOR_MAPPED_ADDRESS),
                response.attributes().stream().map(StunAttribute::type).toList());
        assertTrue(StunMessageIntegrity.verify(response, KEY));
        assertTrue(StunFingerprint.verify(response));
    }

    @Test
    void reportsAChecksWithoutNomination() throws Exception {
        byte[] request = new StunRawMessage(0x0001, TID).text(StunAttributeType.USERNAME, "LsUf:EsAw")
                .integrity(LOCAL_PASSWORD).fingerprint().bytes();
        IceLiteOutcome.Success success = assertInstanceOf(IceLiteOutcome.Success.class,
                RESPONDER.handle(request, 0, request.length, sender()));
        assertFalse(success.useCandidate());
        assertEquals(OptionalLong.empty(), success.priority());
    }

    @Test
    void acceptsAnyRemoteUfragWhenNoneIsExpected() throws Exception {
        IceLiteResponder any = new IceLiteResponder(LOCAL_UFRAG, LOCAL_PASSWORD, Optional.empty(),
                StunLimits.defaults());
        byte[] request = chromiumCheck("LsUf:whatever").integrity(LOCAL_PASSWORD).fingerprint().bytes();
        assertEquals("whatever", assertInstanceOf(IceLiteOutcome.Success.class,
                any.handle(request, 0, request.length, sender())).remoteUfrag());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("no USERNAME", 400, false, (Builder) r -> new StunRawMessage(0x0001, TID)
                        .integrity(LOCAL_PASSWORD).fingerprint()),
                Arguments.of("no MESSAGE-INTEGRITY", 400, false, (Builder) r -> chromiumCheck("LsUf:EsAw")
                        .fingerprint()),
                Arguments.of("another session's ufrag", 401, false, (Builder) r -> chromiumCheck("Other:EsAw")
                        .integrity(LOCAL_PASSWORD).fingerprint()),
                Arguments.of("local ufrag as a prefix only", 401, false, (Builder) r -> chromiumCheck("LsUfX:EsAw")
                        .integrity(LOCAL_PASSWORD).fingerprint()),
                Arguments.of("unexpected remote ufrag", 401, false, (Builder) r -> chromiumCheck("LsUf:Mallory")
                        .integrity(LOCAL_PASSWORD).fingerprint()),
                Arguments.of("empty remote ufrag", 401, false, (Builder) r -> chromiumCheck("LsUf:")
                        .integrity(LOCAL_PASSWORD).fingerprint()),
                Arguments.of("no colon", 401, false, (Builder) r -> chromiumCheck("LsUf")
                        .integrity(LOCAL_PASSWORD).fingerprint()),
                Arguments.of("wrong password", 401, false, (Builder) r -> chromiumCheck("LsUf:EsAw")
                        .integrity("liveshardLocalPassword25").fingerprint()),
                Arguments.of("unknown comprehension-required attribute", 420, true, (Builder) r ->
                        chromiumCheck("LsUf:EsAw").attribute(0x7777, new byte[2]).integrity(LOCAL_PASSWORD)
                                .fingerprint()),
                Arguments.of("peer also controlled", 487, true, (Builder) r -> new StunRawMessage(0x0001, TID)
                        .text(StunAttributeType.USERNAME, "LsUf:EsAw")
                        .attribute(StunAttributeType.ICE_CONTROLLED.code(), new byte[8])
                        .integrity(LOCAL_PASSWORD).fingerprint()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refusesWithAnErrorResponse(String name, int code, boolean authenticated, Builder builder) throws Exception {
        byte[] request = builder.build(null).bytes();
        IceLiteOutcome.ErrorResponse error = assertInstanceOf(IceLiteOutcome.ErrorResponse.class,
                RESPONDER.handle(request, 0, request.length, sender()));
        assertEquals(code, error.error().code());
        StunMessage response = StunMessage.decode(error.response(), 0, error.response().length,
                StunLimits.defaults());
        assertEquals(StunMessageType.BINDING_ERROR_RESPONSE, response.type());
        assertArrayEquals(TID, response.transactionId());
        assertEquals(Optional.of(error.error()), response.errorCode());
        // RFC 8489 section 9.1.3: 400 and 401 carry no MESSAGE-INTEGRITY; later refusals are authenticated.
        assertEquals(authenticated, response.hasMessageIntegrity());
        assertEquals(authenticated, StunMessageIntegrity.verify(response, KEY));
        assertTrue(StunFingerprint.verify(response));
        if (code == 420) {
            assertArrayEquals(new int[] {0x7777},
                    response.attribute(StunAttributeType.UNKNOWN_ATTRIBUTES).orElseThrow().asAttributeCodes());
        }
    }

    static Stream<Arguments> discards() throws Exception {
        byte[] good = chromiumCheck("LsUf:EsAw").integrity(LOCAL_PASSWORD).fingerprint().bytes();
        byte[] badFingerprint = good.clone();
        badFingerprint[good.length - 1] ^= 1;
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
        return Stream.of(
                Arguments.of("no FINGERPRINT", chromiumCheck("LsUf:EsAw").integrity(LOCAL_PASSWORD).bytes(),
                        "no FINGERPRINT"),
                Arguments.of("FINGERPRINT mismatch", badFingerprint, "FINGERPRINT mismatch"),
                Arguments.of("truncated", truncated, "malformed STUN: length field"),
                Arguments.of("indication", new StunRawMessage(0x0011, TID).fingerprint().bytes(),
                        "not a Binding request: BINDING_INDICATION"),
                Arguments.of("success response", StunRfc5769Vectors.SAMPLE_IPV4_RESPONSE,
                        "not a Binding request: BINDING_SUCCESS_RESPONSE"),
                Arguments.of("RTP packet", new byte[] {(byte) 0x80, 96, 0, 1}, "malformed STUN: truncated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("discards")
    void discardsSilently(String name, byte[] packet, String reasonPart) {
        IceLiteOutcome.Discard discard = assertInstanceOf(IceLiteOutcome.Discard.class,
                RESPONDER.handle(packet, 0, packet.length, sender()));
        assertTrue(discard.reason().contains(reasonPart), discard.reason());
    }

    /**
     * The RFC 5769 sample request authenticates against its password, but it carries ICE-CONTROLLED, so a lite agent
     * (always controlled) answers 487 Role Conflict, signed with the same password.
     */
    @Test
    void answersRfc5769SampleRequestWithRoleConflict() throws Exception {
        IceLiteResponder responder = new IceLiteResponder("evtj", StunRfc5769Vectors.PASSWORD,
                Optional.of("h6vY"), StunLimits.defaults());
        byte[] request = StunRfc5769Vectors.SAMPLE_REQUEST;
        IceLiteOutcome.ErrorResponse error = assertInstanceOf(IceLiteOutcome.ErrorResponse.class,
                responder.handle(request, 0, request.length, sender()));
        assertEquals(StunErrorCode.ROLE_CONFLICT, error.error());
        StunMessage response = StunMessage.decode(error.response(), 0, error.response().length,
                StunLimits.defaults());
        assertTrue(StunMessageIntegrity.verify(response,
                StunMessageIntegrity.shortTermKey(StunRfc5769Vectors.PASSWORD)));
    }

    @Test
    void findsTheLocalUfragOfAUsername() {
        assertEquals(Optional.of("LsUf"), IceLiteResponder.localUfragOf("LsUf:EsAw"));
        assertEquals(Optional.empty(), IceLiteResponder.localUfragOf(":EsAw"));
        assertEquals(Optional.empty(), IceLiteResponder.localUfragOf("LsUf"));
    }

    @Test
    void refusesInvalidLocalCredentials() {
        StunLimits limits = StunLimits.defaults();
        assertThrows(IllegalArgumentException.class,
                () -> new IceLiteResponder("abc", LOCAL_PASSWORD, Optional.empty(), limits));
        assertThrows(IllegalArgumentException.class,
                () -> new IceLiteResponder("ab:c", LOCAL_PASSWORD, Optional.empty(), limits));
        assertThrows(IllegalArgumentException.class,
                () -> new IceLiteResponder(LOCAL_UFRAG, "tooShortPassword", Optional.empty(), limits));
    }

    private static InetSocketAddress sender() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    }

    @FunctionalInterface
    interface Builder {
        StunRawMessage build(Void unused) throws Exception;
    }
}
