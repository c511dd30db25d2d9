package io.liveshard.protocol.stun;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds STUN datagrams byte by byte, independently of {@link StunMessage#encode()}, so tests can write attributes
 * the encoder refuses (unknown codes, wrong lengths, wrong order) and still seal them with valid
 * MESSAGE-INTEGRITY and FINGERPRINT.
 */
final class StunRawMessage {

    private final int type;
    private final byte[] transactionId;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    StunRawMessage(int type, byte[] transactionId) {
        this.type = type;
        this.transactionId = transactionId.clone();
    }

    StunRawMessage attribute(int code, byte[] value) {
        body.write(code >>> 8);
        body.write(code);
        body.write(value.length >>> 8);
        body.write(value.length);
        body.writeBytes(value);
        for (int i = value.length; i % 4 != 0; i++) {
            body.write(0);
        }
        return this;
    }

    StunRawMessage text(StunAttributeType type, String value) {
        return attribute(type.code(), value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    StunRawMessage integrity(String password) throws Exception {
        byte[] prefix = build(body.size() + 24);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA1"));
        return attribute(StunAttributeType.MESSAGE_INTEGRITY.code(), mac.doFinal(prefix));
    }

    StunRawMessage fingerprint() {
        byte[] prefix = build(body.size() + 8);
        CRC32 crc = new CRC32();
        crc.update(prefix);
        return attribute(StunAttributeType.FINGERPRINT.code(),
                ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ 0x5354554e).array());
    }

    byte[] bytes() {
        return build(body.size());
    }

    /** The message with the last attribute's length field replaced, to make it lie about its size. */
    byte[] bytesWithAttributeLength(int length) {
        byte[] bytes = bytes();
        int last = 20;
        for (int pos = 20; pos < bytes.length; ) {
            last = pos;
            int valueLength = ((bytes[pos + 2] & 0xFF) << 8) | (bytes[pos + 3] & 0xFF);
            pos += 4 + ((valueLength + 3) & ~3);
        }
        bytes[last + 2] = (byte) (length >>> 8);
        bytes[last + 3] = (byte) length;
        return bytes;
    }

    private byte[] build(int declaredLength) {
        return ByteBuffer.allocate(20 + body.size()).putShort((short) type).putShort((short) declaredLength)
                .putInt(0x2112A442).put(transactionId).put(body.toByteArray()).array();
    }
}
