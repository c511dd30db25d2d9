package io.liveshard.protocol.stun;

import static io.liveshard.protocol.stun.StunRfc5769Vectors.SAMPLE_IPV4_RESPONSE;
import static io.liveshard.protocol.stun.StunRfc5769Vectors.SAMPLE_IPV6_RESPONSE;
import static io.liveshard.protocol.stun.StunRfc5769Vectors.SAMPLE_REQUEST;
import static io.liveshard.protocol.stun.StunRfc5769Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StunMessageBadInputTest {

    private static final StunLimits LIMITS = StunLimits.defaults();
    private static final byte[] TID = new byte[12];

    private static StunException refuse(byte[] bytes, StunLimits limits) {
        return assertThrows(StunException.class, () -> StunMessage.decode(bytes, 0, bytes.length, limits));
    }

    static Stream<Arguments> malformed() {
        byte[] header = hex("0001 0000 2112a442 000000000000000000000000");
        return Stream.of(
                Arguments.of("empty", new byte[0], "truncated: 0 bytes"),
                Arguments.of("19-byte header", Arrays.copyOf(header, 19), "truncated: 19 bytes"),
                Arguments.of("top bits set", patch(header, 0, 0x40), "first two bits"),
                Arguments.of("unknown method", patch(header, 1, 0x03), "unsupported message type 0x0003"),
                Arguments.of("wrong cookie", patch(header, 4, 0x21, 0x12, 0xa4, 0x43), "magic cookie 0x2112a443"),
                Arguments.of("length not a multiple of 4", patch(header, 3, 2), "not a multiple of 4"),
                Arguments.of("length beyond the datagram", patch(header, 3, 8), "says 8 bytes"),
                Arguments.of("trailing bytes", Arrays.copyOf(header, 24), "says 0 bytes"),
                Arguments.of("attribute overruns", raw().attribute(0x0006, new byte[8]).bytesWithAttributeLength(9),
                        "overruns"),
                Arguments.of("attribute length 0xffff", raw().attribute(0x8022, new byte[4])
                        .bytesWithAttributeLength(0xffff), "overruns"),
                Arguments.of("short MESSAGE-INTEGRITY", raw().attribute(0x0008, new byte[16]).bytes(),
                        "MESSAGE_INTEGRITY has 16 bytes, expected 20"),
                Arguments.of("long FINGERPRINT", raw().attribute(0x8028, new byte[8]).bytes(),
                        "FINGERPRINT has 8 bytes, expected 4"),
                Arguments.of("attribute after FINGERPRINT", raw().attribute(0x8028, new byte[4])
                        .attribute(0x0006, new byte[4]).bytes(), "follows FINGERPRINT"),
                Arguments.of("PRIORITY of 3 bytes", raw().attribute(0x0024, new byte[3]).bytes(),
                        "PRIORITY has 3 bytes, expected 4"),
                Arguments.of("USE-CANDIDATE with a value", raw().attribute(0x0025, new byte[4]).bytes(),
                        "USE_CANDIDATE has 4 bytes, expected 0"),
                Arguments.of("ICE-CONTROLLING of 4 bytes", raw().attribute(0x802A, new byte[4]).bytes(),
                        "ICE_CONTROLLING has 4 bytes"),
                Arguments.of("USERNAME not UTF-8", raw().attribute(0x0006, new byte[] {(byte) 0xc3, 0x28}).bytes(),
                        "USERNAME is not valid UTF-8"),
                Arguments.of("USERNAME of 600 bytes", raw().attribute(0x0006, filled(600, 'a')).bytes(),
                        "USERNAME has 600 bytes, more than 512"),
                Arguments.of("address family 3", raw().attribute(0x0020, hex("0003a147e112a643")).bytes(),
                        "unknown address family 3"),
                Arguments.of("IPv4 address of 20 bytes", raw().attribute(0x0020, hex("0001a147" + "00".repeat(16)))
                        .bytes(), "has 20 bytes, expected 8"),
                Arguments.of("address of 2 bytes", raw().attribute(0x0020, hex("0001")).bytes(), "shorter than 4"),
                Arguments.of("error class 2", raw().attribute(0x0009, hex("00000200")).bytes(), "not 300..699"),
                Arguments.of("error number 100", raw().attribute(0x0009, hex("00000464")).bytes(), "not 300..699"),
                Arguments.of("odd UNKNOWN-ATTRIBUTES", raw().attribute(0x000A, hex("000102")).bytes(),
                        "not a multiple of 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesMalformed(String name, byte[] bytes, String messagePart) {
        StunException e = refuse(bytes, LIMITS);
        assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
    }

    @Test
    void refusesOversizeAndTooManyAttributes() {
        StunRawMessage many = raw();
        for (int i = 0; i < 5; i++) {
            many.attribute(0x8022, new byte[4]);
        }
        assertTrue(refuse(many.bytes(), new StunLimits(1500, 4)).getMessage().contains("more than 4 attributes"));
        byte[] big = raw().attribute(0x8022, new byte[1484]).bytes();
        assertTrue(refuse(big, LIMITS).getMessage().contains("1508 bytes exceeds the limit of 1500"));
    }

    static Stream<Arguments> vectors() {
        return Stream.of(Arguments.of("sample request", SAMPLE_REQUEST),
                Arguments.of("IPv4 response", SAMPLE_IPV4_RESPONSE),
                Arguments.of("IPv6 response", SAMPLE_IPV6_RESPONSE));
    }

    /** Every proper prefix of a valid message is refused, with the header's length field left as it was. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void refusesEveryTruncation(String name, byte[] vector) {
        IntStream.range(0, vector.length).forEach(length -> refuse(Arrays.copyOf(vector, length), LIMITS));
    }

    /** Truncations that also fix up the length field decode, but their MESSAGE-INTEGRITY or FINGERPRINT is gone. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void truncationsWithConsistentLengthLoseTheirChecks(String name, byte[] vector) throws Exception {
        for (int length = 20; length < vector.length; length += 4) {
            byte[] cut = Arrays.copyOf(vector, length);
            cut[2] = (byte) ((length - 20) >>> 8);
            cut[3] = (byte) (length - 20);
            StunMessage message;
            try {
                message = StunMessage.decode(cut, 0, cut.length, LIMITS);
            } catch (StunException expected) {
                continue;
            }
            assertFalse(StunFingerprint.verify(message));
        }
    }

    /**
     * Random datagrams, half of them with a valid header, and single-bit flips of the RFC vectors: the decoder and
     * the responder answer every one with a value or a StunException, never another exception.
     */
    @Test
    void survivesGarbageAndBitFlips() {
        Random random = new Random(5769);
        IceLiteResponder responder = new IceLiteResponder("evtj", StunRfc5769Vectors.PASSWORD,
                Optional.empty(), LIMITS);
        InetSocketAddress sender = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
        for (int i = 0; i < 20_000; i++) {
            byte[] packet = new byte[random.nextInt(120)];
            random.nextBytes(packet);
            if (packet.length >= 20 && random.nextBoolean()) {
                byte[] header = hex("0001 0000 2112a442");
                System.arraycopy(header, 0, packet, 0, 8);
                int body = (packet.length - 20) & ~3;
                packet = Arrays.copyOf(packet, 20 + body);
                packet[3] = (byte) body;
            }
            exercise(packet, responder, sender);
        }
        for (byte[] vector : List.of(SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE)) {
            for (int bit = 0; bit < vector.length * 8; bit++) {
                byte[] flipped = vector.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                exercise(flipped, responder, sender);
            }
        }
    }

    private static void exercise(byte[] packet, IceLiteResponder responder, InetSocketAddress sender) {
        try {
            StunMessage message = StunMessage.decode(packet, 0, packet.length, LIMITS);
            message.username();
            message.xorMappedAddress();
            message.errorCode();
            message.priority();
            StunMessageIntegrity.verify(message, new byte[] {1});
            StunFingerprint.verify(message);
        } catch (StunException refused) {
            assertFalse(refused.getMessage().isEmpty());
        }
        responder.handle(packet, 0, packet.length, sender);
    }

    private static StunRawMessage raw() {
        return new StunRawMessage(0x0001, TID);
    }

    private static byte[] patch(byte[] bytes, int at, int... values) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < values.length; i++) {
            copy[at + i] = (byte) values[i];
        }
        return copy;
    }

    private static byte[] filled(int length, char c) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
