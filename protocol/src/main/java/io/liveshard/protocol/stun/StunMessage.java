package io.liveshard.protocol.stun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One STUN message (RFC 8489 section 5, https://www.rfc-editor.org/rfc/rfc8489#section-5): a 20-byte header (type,
 * body length, magic cookie 0x2112A442, 96-bit transaction id) and TLV attributes padded to 4 bytes.
 *
 * <p>{@link #attributes()} holds the known attributes other than MESSAGE-INTEGRITY and FINGERPRINT, in wire order.
 * Those two are computed by {@link #encode()} and friends and checked with {@link StunMessageIntegrity} and
 * {@link StunFingerprint} on a decoded message, which keeps the bytes it was decoded from for that purpose.
 * Unknown comprehension-optional attributes are skipped; unknown comprehension-required ones are listed in
 * {@link #unknownComprehensionRequired()} so a server can answer 420.
 */
public final class StunMessage {

    /** RFC 8489 section 5: fixed value of bytes 4..7, which tells STUN from other protocols on the port. */
    public static final int MAGIC_COOKIE = 0x2112A442;

    /** RFC 8489 section 5: type, length, cookie and transaction id. */
    public static final int HEADER_LENGTH = 20;

    /** RFC 8489 section 5: 96 bits. */
    public static final int TRANSACTION_ID_LENGTH = 12;

    /** RFC 8489 section 14.5: an HMAC-SHA1. */
    static final int INTEGRITY_LENGTH = 20;

    /** RFC 8489 section 14.7: a CRC-32. */
    static final int FINGERPRINT_LENGTH = 4;

    private static final int ATTRIBUTE_HEADER_LENGTH = 4;

    /** Largest body the 16-bit length field of the header can describe (RFC 8489 section 5). */
    private static final int MAX_BODY_LENGTH = 0xFFFF;

    /**
     * Where an attribute may stand (RFC 8489 sections 14.5 and 14.7): anything but FINGERPRINT that follows
     * MESSAGE-INTEGRITY is ignored, and nothing may follow FINGERPRINT.
     */
    private enum Section { ATTRIBUTES, AFTER_INTEGRITY, AFTER_FINGERPRINT }

    private final StunMessageType type;
    private final byte[] transactionId;
    private final List<StunAttribute> attributes;
    private final List<Integer> unknownComprehensionRequired;
    /** The decoded datagram, or null for a message built in code. */
    private final byte[] wire;
    private final int integrityOffset;
    private final int fingerprintOffset;

    /** A message to encode; the attribute list may not contain MESSAGE-INTEGRITY or FINGERPRINT. */
    public StunMessage(StunMessageType type, byte[] transactionId, List<StunAttribute> attributes) {
        this(type, checkTransactionId(transactionId).clone(), List.copyOf(attributes), List.of(), null, -1, -1);
        int body = 0;
        for (StunAttribute attribute : this.attributes) {
            body += ATTRIBUTE_HEADER_LENGTH + padded(attribute.length());
        }
        if (body + ATTRIBUTE_HEADER_LENGTH + INTEGRITY_LENGTH + ATTRIBUTE_HEADER_LENGTH + FINGERPRINT_LENGTH
                > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("STUN attributes of " + body + " bytes exceed the 16-bit length field");
        }
    }

    private StunMessage(StunMessageType type, byte[] transactionId, List<StunAttribute> attributes,
            List<Integer> unknownComprehensionRequired, byte[] wire, int integrityOffset, int fingerprintOffset) {
        this.type = type;
        this.transactionId = transactionId;
        this.attributes = attributes;
        this.unknownComprehensionRequired = unknownComprehensionRequired;
        this.wire = wire;
        this.integrityOffset = integrityOffset;
        this.fingerprintOffset = fingerprintOffset;
    }

    /**
     * Decodes one datagram that must hold exactly one STUN message.
     *
     * @throws StunException when the datagram is not a well-formed message within {@code limits}
     */
    public static StunMessage decode(byte[] packet, int offset, int length, StunLimits limits) throws StunException {
        java.util.Objects.checkFromIndexSize(offset, length, packet.length);
        if (length < HEADER_LENGTH) {
            throw new StunException("truncated: " + length + " bytes, a STUN header has " + HEADER_LENGTH);
        }
        if (length > limits.maxMessageSize()) {
            throw new StunException("message of " + length + " bytes exceeds the limit of " + limits.maxMessageSize());
        }
        int typeCode = u16(packet, offset);
        if ((typeCode & 0xC000) != 0) {
            throw new StunException(String.format("first two bits of type 0x%04x are not zero", typeCode));
        }
        StunMessageType type = StunMessageType.fromCode(typeCode).orElseThrow(() ->
                new StunException(String.format("unsupported message type 0x%04x", typeCode)));
        int bodyLength = u16(packet, offset + 2);
        if (bodyLength % 4 != 0) {
            throw new StunException("length " + bodyLength + " is not a multiple of 4");
        }
        int cookie = ByteBuffer.wrap(packet, offset + 4, 4).getInt();
        if (cookie != MAGIC_COOKIE) {
            throw new StunException(String.format("magic cookie 0x%08x instead of 0x%08x", cookie, MAGIC_COOKIE));
        }
        if (HEADER_LENGTH + bodyLength != length) {
            throw new StunException("length field says " + bodyLength + " bytes of attributes but the datagram has "
                    + (length - HEADER_LENGTH));
        }
        byte[] wire = Arrays.copyOfRange(packet, offset, offset + length);
        byte[] transactionId = Arrays.copyOfRange(wire, 8, HEADER_LENGTH);
        return decodeAttributes(type, transactionId, wire, limits);
    }

    private static StunMessage decodeAttributes(StunMessageType type, byte[] transactionId, byte[] wire,
            StunLimits limits) throws StunException {
        List<StunAttribute> attributes = new ArrayList<>();
        List<Integer> unknownRequired = new ArrayList<>();
        int integrityOffset = -1;
        int fingerprintOffset = -1;
        Section section = Section.ATTRIBUTES;
        int count = 0;
        // The body length is a multiple of 4 and every step is too, so each iteration has a 4-byte header to read.
        for (int pos = HEADER_LENGTH; pos < wire.length; ) {
            int code = u16(wire, pos);
            int valueLength = u16(wire, pos + 2);
            int next = pos + ATTRIBUTE_HEADER_LENGTH + padded(valueLength);
            if (next > wire.length) {
                throw new StunException(String.format("attribute 0x%04x of %d bytes at byte %d overruns the %d-byte"
                        + " message", code, valueLength, pos, wire.length));
            }
            if (++count > limits.maxAttributes()) {
                throw new StunException("more than " + limits.maxAttributes() + " attributes");
            }
            if (section == Section.AFTER_FINGERPRINT) {
                throw new StunException(String.format("attribute 0x%04x follows FINGERPRINT", code));
            }
            int valueOffset = pos + ATTRIBUTE_HEADER_LENGTH;
            if (code == StunAttributeType.FINGERPRINT.code()) {
                requireLength(StunAttributeType.FINGERPRINT, valueLength, FINGERPRINT_LENGTH);
                fingerprintOffset = pos;
                section = Section.AFTER_FINGERPRINT;
            } else if (section == Section.AFTER_INTEGRITY) {
                // RFC 8489 section 14.5: attributes after MESSAGE-INTEGRITY are not covered by it; ignore them.
            } else if (code == StunAttributeType.MESSAGE_INTEGRITY.code()) {
                requireLength(StunAttributeType.MESSAGE_INTEGRITY, valueLength, INTEGRITY_LENGTH);
                integrityOffset = pos;
                section = Section.AFTER_INTEGRITY;
            } else {
                Optional<StunAttributeType> known = StunAttributeType.fromCode(code);
                if (known.isPresent()) {
                    attributes.add(StunAttribute.decode(known.get(), wire, valueOffset, valueLength));
                } else if (StunAttributeType.isComprehensionRequired(code)) {
                    unknownRequired.add(code);
                }
            }
            pos = next;
        }
        return new StunMessage(type, transactionId, List.copyOf(attributes), List.copyOf(unknownRequired), wire,
                integrityOffset, fingerprintOffset);
    }

    /** The message without MESSAGE-INTEGRITY or FINGERPRINT. */
    public byte[] encode() {
        return encode(null, false);
    }

    /** The message followed by FINGERPRINT, as ICE requires of every check (RFC 8445 section 7). */
    public byte[] encodeWithFingerprint() {
        return encode(null, true);
    }

    /** The message followed by MESSAGE-INTEGRITY keyed with {@code integrityKey}, then FINGERPRINT. */
    public byte[] encodeWithIntegrityAndFingerprint(byte[] integrityKey) {
        return encode(java.util.Objects.requireNonNull(integrityKey), true);
    }

    private byte[] encode(byte[] integrityKey, boolean fingerprint) {
        int body = 0;
        for (StunAttribute attribute : attributes) {
            body += ATTRIBUTE_HEADER_LENGTH + padded(attribute.length());
        }
        int total = HEADER_LENGTH + body
                + (integrityKey != null ? ATTRIBUTE_HEADER_LENGTH + INTEGRITY_LENGTH : 0)
                + (fingerprint ? ATTRIBUTE_HEADER_LENGTH + FINGERPRINT_LENGTH : 0);
        ByteBuffer out = ByteBuffer.allocate(total);
        out.putShort((short) type.code()).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
        for (StunAttribute attribute : attributes) {
            out.putShort((short) attribute.type().code()).putShort((short) attribute.length());
            attribute.writeValue(out);
            out.position(out.position() + padded(attribute.length()) - attribute.length());
        }
        byte[] bytes = out.array();
        if (integrityKey != null) {
            int at = out.position();
            byte[] mac = StunMessageIntegrity.compute(bytes, at, integrityKey);
            out.putShort((short) StunAttributeType.MESSAGE_INTEGRITY.code()).putShort((short) INTEGRITY_LENGTH)
                    .put(mac);
        }
        if (fingerprint) {
            int at = out.position();
            out.putShort(2, (short) (at + ATTRIBUTE_HEADER_LENGTH + FINGERPRINT_LENGTH - HEADER_LENGTH));
            int crc = StunFingerprint.compute(bytes, at);
            out.putShort((short) StunAttributeType.FINGERPRINT.code()).putShort((short) FINGERPRINT_LENGTH)
                    .putInt(crc);
        }
        out.putShort(2, (short) (total - HEADER_LENGTH));
        return bytes;
    }

    public StunMessageType type() {
        return type;
    }

    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** Known attributes in wire order, without MESSAGE-INTEGRITY and FINGERPRINT. */
    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** Codes of comprehension-required attributes this package does not know, in wire order. */
    public List<Integer> unknownComprehensionRequired() {
        return unknownComprehensionRequired;
    }

    public boolean hasMessageIntegrity() {
        return integrityOffset >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintOffset >= 0;
    }

    /** The first attribute of this type (RFC 8489 section 14: later duplicates carry no meaning for ICE). */
    public Optional<StunAttribute> attribute(StunAttributeType attributeType) {
        for (StunAttribute attribute : attributes) {
            if (attribute.type() == attributeType) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    public Optional<String> username() {
        return attribute(StunAttributeType.USERNAME).map(StunAttribute::asText);
    }

    public Optional<String> software() {
        return attribute(StunAttributeType.SOFTWARE).map(StunAttribute::asText);
    }

    public OptionalLong priority() {
        return attribute(StunAttributeType.PRIORITY).map(a -> OptionalLong.of(a.asUnsigned32()))
                .orElse(OptionalLong.empty());
    }

    public boolean useCandidate() {
        return attribute(StunAttributeType.USE_CANDIDATE).isPresent();
    }

    public OptionalLong iceControlling() {
        return attribute(StunAttributeType.ICE_CONTROLLING).map(a -> OptionalLong.of(a.asTieBreaker()))
                .orElse(OptionalLong.empty());
    }

    public OptionalLong iceControlled() {
        return attribute(StunAttributeType.ICE_CONTROLLED).map(a -> OptionalLong.of(a.asTieBreaker()))
                .orElse(OptionalLong.empty());
    }

    public Optional<InetSocketAddress> xorMappedAddress() {
        return attribute(StunAttributeType.XOR_MAPPED_ADDRESS).map(a -> a.asXorAddress(transactionId));
    }

    public Optional<StunErrorCode> errorCode() {
        return attribute(StunAttributeType.ERROR_CODE).map(StunAttribute::asErrorCode);
    }

    /** The decoded bytes, for integrity and fingerprint checks; null for a message built in code. */
    byte[] wire() {
        return wire;
    }

    int integrityOffset() {
        return integrityOffset;
    }

    int fingerprintOffset() {
        return fingerprintOffset;
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }

    private static int u16(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    private static void requireLength(StunAttributeType type, int length, int expected) throws StunException {
        if (length != expected) {
            throw new StunException(type + " has " + length + " bytes, expected " + expected);
        }
    }

    private static byte[] checkTransactionId(byte[] transactionId) {
        if (transactionId.length != TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("transaction id of " + transactionId.length + " bytes, expected "
                    + TRANSACTION_ID_LENGTH);
        }
        return transactionId;
    }

    @Override
    public String toString() {
        return type + " " + java.util.HexFormat.of().formatHex(transactionId) + " " + attributes;
    }
}
