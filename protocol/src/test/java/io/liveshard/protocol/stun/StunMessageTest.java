package io.liveshard.protocol.stun;

import static io.liveshard.protocol.stun.StunRfc5769Vectors.PASSWORD;
import static io.liveshard.protocol.stun.StunRfc5769Vectors.SAMPLE_IPV4_RESPONSE;
import static io.liveshard.protocol.stun.StunRfc5769Vectors.SAMPLE_IPV6_RESPONSE;
import static io.liveshard.protocol.stun.StunRfc5769Vectors.SAMPLE_REQUEST;
import static io.liveshard.protocol.stun.StunRfc5769Vectors.TRANSACTION_ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StunMessageTest {

    private static final StunLimits LIMITS = StunLimits.defaults();
    private static final byte[] KEY = StunMessageIntegrity.shortTermKey(PASSWORD);

    private static StunMessage decode(byte[] bytes) throws StunException {
        return StunMessage.decode(bytes, 0, bytes.length, LIMITS);
    }

    @Test
    void decodesRfc5769SampleRequest() throws Exception {
        StunMessage request = decode(SAMPLE_REQUEST);
        assertEquals(StunMessageType.BINDING_REQUEST, request.type());
        assertEquals(TRANSACTION_ID, HexFormat.of().formatHex(request.transactionId()));
        assertEquals(Optional.of("STUN test client"), request.software());
        assertEquals(OptionalLong.of(0x6e0001ffL), request.priority());
        assertEquals(OptionalLong.of(0x932ff9b151263b36L), request.iceControlled());
        assertEquals(OptionalLong.empty(), request.iceControlling());
        assertEquals(Optional.of("evtj:h6vY"), request.username());
        assertFalse(request.useCandidate());
        assertTrue(request.hasMessageIntegrity());
        assertTrue(request.hasFingerprint());
        assertTrue(StunMessageIntegrity.verify(request, KEY));
        assertFalse(StunMessageIntegrity.verify(request, StunMessageIntegrity.shortTermKey("VOkJxbRl1RmTxUk/WvJxBu")));
        assertTrue(StunFingerprint.verify(request));
        assertEquals(List.of(StunAttributeType.SOFTWARE, StunAttributeType.PRIORITY, StunAttributeType.ICE_CONTROLLED,
                StunAttributeType.USERNAME), request.attributes().stream().map(StunAttribute::type).toList());
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of("IPv4 response (RFC 5769 section 2.2)", SAMPLE_IPV4_RESPONSE, "192.0.2.1",
                        "0001a147e112a643"),
                Arguments.of("IPv6 response (RFC 5769 section 2.3)", SAMPLE_IPV6_RESPONSE,
                        "2001:db8:1234:5678:11:2233:4455:6677", "0002a1470113a9faa5d3f179bc25f4b5bed2b9d9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void decodesRfc5769Responses(String name, byte[] vector, String ip, String xorValueHex) throws Exception {
        StunMessage response = decode(vector);
        assertEquals(StunMessageType.BINDING_SUCCESS_RESPONSE, response.type());
        assertEquals(Optional.of("test vector"), response.software());
        InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName(ip), 32853);
        assertEquals(Optional.of(expected), response.xorMappedAddress());
        assertTrue(StunMessageIntegrity.verify(response, KEY));
        assertTrue(StunFingerprint.verify(response));
        // The encoder's XOR-MAPPED-ADDRESS value is the RFC's, byte for byte.
        byte[] transactionId = HexFormat.of().parseHex(TRANSACTION_ID);
        assertEquals(xorValueHex,
                HexFormat.of().formatHex(StunAttribute.xorMappedAddress(expected, transactionId).value()));
    }

    static Stream<Arguments> vectors() {
        return Stream.of(Arguments.of("sample request", SAMPLE_REQUEST),
                Arguments.of("IPv4 response", SAMPLE_IPV4_RESPONSE),
                Arguments.of("IPv6 response", SAMPLE_IPV6_RESPONSE));
    }

    /** HMAC-SHA1 and CRC-32 over the RFC's own bytes give the RFC's MESSAGE-INTEGRITY and FINGERPRINT values. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void integrityAndFingerprintValuesMatchTheRfc(String name, byte[] vector) {
        int fingerprintAt = vector.length - 8;
        int integrityAt = fingerprintAt - 24;
        assertArrayEquals(Arrays.copyOfRange(vector, integrityAt + 4, integrityAt + 24),
                StunMessageIntegrity.compute(vector, integrityAt, KEY));
        assertEquals(ByteBuffer.wrap(vector, fingerprintAt + 4, 4).getInt(),
                StunFingerprint.compute(vector, fingerprintAt));
    }

    /**
     * Re-encoding a vector gives the RFC's bytes up to MESSAGE-INTEGRITY once the RFC's 0x20 padding is zeroed (this
     * encoder pads with zeros), and the result carries a MESSAGE-INTEGRITY and FINGERPRINT that verify.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reEncodesVectors(String name, byte[] vector) throws Exception {
        StunMessage decoded = decode(vector);
        byte[] encoded = new StunMessage(decoded.type(), decoded.transactionId(), decoded.attributes())
                .encodeWithIntegrityAndFingerprint(KEY);
        assertEquals(vector.length, encoded.length);
        byte[] zeroPadded = zeroPadding(vector);
        int integrityAt = vector.length - 32;
        assertArrayEquals(Arrays.copyOf(zeroPadded, integrityAt), Arrays.copyOf(encoded, integrityAt));
        StunMessage again = decode(encoded);
        assertEquals(decoded.attributes(), again.attributes());
        assertTrue(StunMessageIntegrity.verify(again, KEY));
        assertTrue(StunFingerprint.verify(again));
    }

    @Test
    void roundTripsEveryAttributeKind() throws Exception {
        byte[] transactionId = HexFormat.of().parseHex("0102030405060708090a0b0c");
        List<StunAttribute> attributes = List.of(
                StunAttribute.username("abcd:efgh"),
                StunAttribute.priority(0xFFFF_FFFFL),
                StunAttribute.useCandidate(),
                StunAttribute.iceControlling(-2),
                StunAttribute.iceControlled(7),
                StunAttribute.xorMappedAddress(new InetSocketAddress(InetAddress.getByName("::1"), 1), transactionId),
                StunAttribute.errorCode(StunErrorCode.ROLE_CONFLICT),
                StunAttribute.unknownAttributes(0x7777, 0x0003),
                StunAttribute.software("liveshard \u2013 test"));
        StunMessage message = new StunMessage(StunMessageType.BINDING_ERROR_RESPONSE, transactionId, attributes);
        for (byte[] encoded : List.of(message.encode(), message.encodeWithFingerprint(),
                message.encodeWithIntegrityAndFingerprint(KEY))) {
            StunMessage decoded = decode(encoded);
            assertEquals(attributes, decoded.attributes());
            assertEquals(OptionalLong.of(0xFFFF_FFFFL), decoded.priority());
            assertEquals(OptionalLong.of(-2), decoded.iceControlling());
            assertEquals(OptionalLong.of(7), decoded.iceControlled());
            assertTrue(decoded.useCandidate());
            assertEquals(Optional.of(StunErrorCode.ROLE_CONFLICT), decoded.errorCode());
            assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByName("::1"), 1)),
                    decoded.xorMappedAddress());
            assertArrayEquals(new int[] {0x7777, 3},
                    decoded.attribute(StunAttributeType.UNKNOWN_ATTRIBUTES).orElseThrow().asAttributeCodes());
        }
        assertFalse(decode(message.encode()).hasFingerprint());
        assertTrue(StunFingerprint.verify(decode(message.encodeWithFingerprint())));
        assertFalse(StunMessageIntegrity.verify(decode(message.encodeWithFingerprint()), KEY));
    }

    @Test
    void skipsUnknownComprehensionOptionalAndListsUnknownRequired() throws Exception {
        byte[] bytes = new StunRawMessage(0x0001, new byte[12])
                .attribute(0xC057, new byte[] {0, 1, 0, 10})
                .attribute(0x7777, new byte[] {1, 2, 3})
                .text(StunAttributeType.USERNAME, "abcd:efgh")
                .bytes();
        StunMessage message = decode(bytes);
        assertEquals(List.of(StunAttribute.username("abcd:efgh")), message.attributes());
        assertEquals(List.of(0x7777), message.unknownComprehensionRequired());
    }

    @Test
    void ignoresAttributesBetweenIntegrityAndFingerprint() throws Exception {
        byte[] bytes = new StunRawMessage(0x0001, new byte[12])
                .text(StunAttributeType.USERNAME, "abcd:efgh")
                .integrity(PASSWORD)
                .text(StunAttributeType.SOFTWARE, "not covered by the integrity")
                .fingerprint()
                .bytes();
        StunMessage message = decode(bytes);
        assertEquals(Optional.empty(), message.software());
        assertTrue(StunMessageIntegrity.verify(message, KEY));
        assertTrue(StunFingerprint.verify(message));
    }

    @Test
    void decodesAtAnOffsetInALargerBuffer() throws Exception {
        byte[] buffer = new byte[SAMPLE_REQUEST.length + 7];
        System.arraycopy(SAMPLE_REQUEST, 0, buffer, 5, SAMPLE_REQUEST.length);
        StunMessage message = StunMessage.decode(buffer, 5, SAMPLE_REQUEST.length, LIMITS);
        assertTrue(StunMessageIntegrity.verify(message, KEY));
        assertTrue(StunFingerprint.verify(message));
    }

    @Test
    void messagesBuiltInCodeHaveNothingToVerify() {
        StunMessage message = new StunMessage(StunMessageType.BINDING_REQUEST, new byte[12], List.of());
        assertFalse(StunMessageIntegrity.verify(message, KEY));
        assertFalse(StunFingerprint.verify(message));
        assertEquals(20, message.encode().length);
    }

    /** Zeroes the padding after SOFTWARE and USERNAME values in a vector (the RFC fills it with 0x20). */
    private static byte[] zeroPadding(byte[] vector) {
        byte[] copy = vector.clone();
        for (int pos = 20; pos < copy.length; ) {
            int length = ((copy[pos + 2] & 0xFF) << 8) | (copy[pos + 3] & 0xFF);
            int padded = (length + 3) & ~3;
            Arrays.fill(copy, pos + 4 + length, pos + 4 + padded, (byte) 0);
            pos += 4 + padded;
        }
        return copy;
    }
}
