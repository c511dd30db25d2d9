package io.liveshard.protocol.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One known STUN attribute other than MESSAGE-INTEGRITY and FINGERPRINT (which {@link StunMessage} computes and
 * checks itself). The value is validated for its type when decoded or built, so the readers never fail on it.
 * Attribute layout: RFC 8489 section 14.
 */
public final class StunAttribute {

    /** RFC 8489 section 14.3: USERNAME is under 509 bytes; RFC 5389 section 15.3 allowed under 513, accept that. */
    public static final int MAX_USERNAME_BYTES = 512;

    /** RFC 8489 section 14.14: SOFTWARE is under 128 characters and at most 763 bytes. */
    public static final int MAX_SOFTWARE_BYTES = 763;

    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;

    private final StunAttributeType type;
    private final byte[] value;

    private StunAttribute(StunAttributeType type, byte[] value) {
        this.type = type;
        this.value = value;
    }

    public StunAttributeType type() {
        return type;
    }

    /** A copy of the value as on the wire, without padding. */
    public byte[] value() {
        return value.clone();
    }

    int length() {
        return value.length;
    }

    void writeValue(ByteBuffer out) {
        out.put(value);
    }

    /** Validates a received value for its type (RFC 8489 section 14, RFC 8445 section 16.1). */
    static StunAttribute decode(StunAttributeType type, byte[] wire, int offset, int length) throws StunException {
        byte[] value = Arrays.copyOfRange(wire, offset, offset + length);
        switch (type) {
            case USERNAME -> {
                requireMaxLength(type, length, MAX_USERNAME_BYTES);
                strictUtf8(type, value);
            }
            case SOFTWARE -> {
                requireMaxLength(type, length, MAX_SOFTWARE_BYTES);
                strictUtf8(type, value);
            }
            case PRIORITY -> requireLength(type, length, 4);
            case USE_CANDIDATE -> requireLength(type, length, 0);
            case ICE_CONTROLLED, ICE_CONTROLLING -> requireLength(type, length, 8);
            case XOR_MAPPED_ADDRESS -> checkAddress(value);
            case ERROR_CODE -> checkErrorCode(value);
            case UNKNOWN_ATTRIBUTES -> {
                if (length % 2 != 0) {
                    throw new StunException("UNKNOWN-ATTRIBUTES length " + length + " is not a multiple of 2");
                }
            }
            case MESSAGE_INTEGRITY, FINGERPRINT ->
                    throw new IllegalArgumentException(type + " is handled by StunMessage");
        }
        return new StunAttribute(type, value);
    }

    public static StunAttribute username(String username) {
        byte[] bytes = username.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_USERNAME_BYTES) {
            throw new IllegalArgumentException("USERNAME longer than " + MAX_USERNAME_BYTES + " bytes");
        }
        return new StunAttribute(StunAttributeType.USERNAME, bytes);
    }

    public static StunAttribute software(String software) {
        byte[] bytes = software.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_SOFTWARE_BYTES) {
            throw new IllegalArgumentException("SOFTWARE longer than " + MAX_SOFTWARE_BYTES + " bytes");
        }
        return new StunAttribute(StunAttributeType.SOFTWARE, bytes);
    }

    /** PRIORITY, an unsigned 32-bit value. */
    public static StunAttribute priority(long priority) {
        if (priority < 0 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("PRIORITY " + priority + " is not an unsigned 32-bit value");
        }
        return new StunAttribute(StunAttributeType.PRIORITY, ByteBuffer.allocate(4).putInt((int) priority).array());
    }

    public static StunAttribute useCandidate() {
        return new StunAttribute(StunAttributeType.USE_CANDIDATE, new byte[0]);
    }

    public static StunAttribute iceControlling(long tieBreaker) {
        return new StunAttribute(StunAttributeType.ICE_CONTROLLING, ByteBuffer.allocate(8).putLong(tieBreaker).array());
    }

    public static StunAttribute iceControlled(long tieBreaker) {
        return new StunAttribute(StunAttributeType.ICE_CONTROLLED, ByteBuffer.allocate(8).putLong(tieBreaker).array());
    }

    public static StunAttribute errorCode(StunErrorCode error) {
        byte[] reason = error.reason().getBytes(StandardCharsets.UTF_8);
        ByteBuffer value = ByteBuffer.allocate(4 + reason.length);
        value.putShort((short) 0).put((byte) (error.code() / 100)).put((byte) (error.code() % 100)).put(reason);
        return new StunAttribute(StunAttributeType.ERROR_CODE, value.array());
    }

    /** UNKNOWN-ATTRIBUTES listing these 16-bit codes. */
    public static StunAttribute unknownAttributes(int... codes) {
        ByteBuffer value = ByteBuffer.allocate(2 * codes.length);
        for (int code : codes) {
            if (code < 0 || code > 0xFFFF) {
                throw new IllegalArgumentException("attribute code " + code + " is not 16 bits");
            }
            value.putShort((short) code);
        }
        return new StunAttribute(StunAttributeType.UNKNOWN_ATTRIBUTES, value.array());
    }

    /**
     * XOR-MAPPED-ADDRESS (RFC 8489 section 14.2): the port XOR-ed with the cookie's top 16 bits, an IPv4 address with
     * the cookie, an IPv6 address with the cookie followed by the transaction id.
     */
    public static StunAttribute xorMappedAddress(InetSocketAddress address, byte[] transactionId) {
        InetAddress ip = Objects.requireNonNull(address.getAddress(), "an unresolved address cannot be mapped");
        byte[] raw = ip.getAddress();
        byte[] value = new byte[4 + raw.length];
        value[1] = (byte) (raw.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
        int xPort = address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16);
        value[2] = (byte) (xPort >>> 8);
        value[3] = (byte) xPort;
        byte[] mask = xorMask(transactionId);
        for (int i = 0; i < raw.length; i++) {
            value[4 + i] = (byte) (raw[i] ^ mask[i]);
        }
        return new StunAttribute(StunAttributeType.XOR_MAPPED_ADDRESS, value);
    }

    /** USERNAME or SOFTWARE as text. */
    public String asText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** PRIORITY as an unsigned value. */
    public long asUnsigned32() {
        return ByteBuffer.wrap(value).getInt() & 0xFFFF_FFFFL;
    }

    /** ICE-CONTROLLING or ICE-CONTROLLED tie-breaker. */
    public long asTieBreaker() {
        return ByteBuffer.wrap(value).getLong();
    }

    public StunErrorCode asErrorCode() {
        int code = (value[2] & 0x07) * 100 + (value[3] & 0xFF);
        return new StunErrorCode(code, new String(value, 4, value.length - 4, StandardCharsets.UTF_8));
    }

    /** UNKNOWN-ATTRIBUTES as codes. */
    public int[] asAttributeCodes() {
        int[] codes = new int[value.length / 2];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = ((value[2 * i] & 0xFF) << 8) | (value[2 * i + 1] & 0xFF);
        }
        return codes;
    }

    /** XOR-MAPPED-ADDRESS decoded with the transaction id of the message that carried it. */
    public InetSocketAddress asXorAddress(byte[] transactionId) {
        int port = (((value[2] & 0xFF) << 8) | (value[3] & 0xFF)) ^ (StunMessage.MAGIC_COOKIE >>> 16);
        byte[] mask = xorMask(transactionId);
        byte[] raw = new byte[value.length - 4];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (value[4 + i] ^ mask[i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (UnknownHostException impossible) {
            // getByAddress only fails for lengths other than 4 and 16, which decode() has ruled out.
            throw new IllegalStateException(impossible);
        }
    }

    private static byte[] xorMask(byte[] transactionId) {
        return ByteBuffer.allocate(16).putInt(StunMessage.MAGIC_COOKIE).put(transactionId).array();
    }

    private static void checkAddress(byte[] value) throws StunException {
        if (value.length < 4) {
            throw new StunException("XOR-MAPPED-ADDRESS of " + value.length + " bytes is shorter than 4");
        }
        int family = value[1] & 0xFF;
        int expected = family == FAMILY_IPV4 ? 8 : family == FAMILY_IPV6 ? 20 : -1;
        if (expected < 0) {
            throw new StunException("XOR-MAPPED-ADDRESS has unknown address family " + family);
        }
        if (value.length != expected) {
            throw new StunException("XOR-MAPPED-ADDRESS for family " + family + " has " + value.length
                    + " bytes, expected " + expected);
        }
    }

    private static void checkErrorCode(byte[] value) throws StunException {
        if (value.length < 4 || value.length > 4 + StunErrorCode.MAX_REASON_BYTES) {
            throw new StunException("ERROR-CODE of " + value.length + " bytes is outside 4.."
                    + (4 + StunErrorCode.MAX_REASON_BYTES));
        }
        int errorClass = value[2] & 0x07;
        int number = value[3] & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            throw new StunException("ERROR-CODE class " + errorClass + " number " + number + " is not 300..699");
        }
        strictUtf8(StunAttributeType.ERROR_CODE, Arrays.copyOfRange(value, 4, value.length));
    }

    private static void requireLength(StunAttributeType type, int length, int expected) throws StunException {
        if (length != expected) {
            throw new StunException(type + " has " + length + " bytes, expected " + expected);
        }
    }

    private static void requireMaxLength(StunAttributeType type, int length, int max) throws StunException {
        if (length > max) {
            throw new StunException(type + " has " + length + " bytes, more than " + max);
        }
    }

    private static void strictUtf8(StunAttributeType type, byte[] bytes) throws StunException {
        try {
            CharBuffer ignored = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new StunException(type + " is not valid UTF-8");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StunAttribute that && type == that.type && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return type + "(" + value.length + " bytes)";
    }
}
