package io.liveshard.protocol.rtmp;

import io.liveshard.protocol.amf.Amf0Decoder;
import io.liveshard.protocol.amf.Amf0Encoder;
import io.liveshard.protocol.amf.Amf0Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Plays the RTMP client in tests: builds the bytes a client sends, and reads what the server sent back. */
final class RtmpTestPeer {

    static final int HANDSHAKE_REPLY_SIZE = 1 + 2 * 1536;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final RtmpChunkEncoder encoder = new RtmpChunkEncoder(RtmpLimits.DEFAULT_CHUNK_SIZE);

    /** C0, a simple-handshake C1 (zero version field) and C2, all at once as a hurried client may send them. */
    RtmpTestPeer handshake() {
        bytes.write(3);
        byte[] c1 = new byte[1536];
        new Random(1).nextBytes(c1);
        Arrays.fill(c1, 4, 8, (byte) 0);
        bytes.writeBytes(c1);
        bytes.writeBytes(new byte[1536]);
        return this;
    }

    RtmpTestPeer command(int messageStreamId, String name, double transactionId, Object... rest) {
        Object[] all = new Object[rest.length + 2];
        all[0] = name;
        all[1] = transactionId;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return message(3, RtmpMessageType.COMMAND_AMF0.code(), 0, messageStreamId, Amf0Encoder.encode(all));
    }

    RtmpTestPeer message(int csid, int typeId, long timestamp, int messageStreamId, byte[] payload) {
        encoder.encode(csid, typeId, timestamp, messageStreamId, payload, bytes::write);
        return this;
    }

    RtmpTestPeer raw(byte[] raw) {
        bytes.writeBytes(raw);
        return this;
    }

    /** The bytes built so far, which are then forgotten. */
    byte[] take() {
        byte[] taken = bytes.toByteArray();
        bytes.reset();
        return taken;
    }

    /** Decodes the server's output after its handshake reply into messages. */
    static List<RtmpMessage> serverMessages(byte[] output) {
        ByteBuffer in = ByteBuffer.wrap(output, HANDSHAKE_REPLY_SIZE, output.length - HANDSHAKE_REPLY_SIZE);
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(RtmpLimits.defaults());
        List<RtmpMessage> messages = new ArrayList<>();
        while (decoder.decode(in) == RtmpChunkDecoder.Result.MESSAGE) {
            messages.add(decoder.message());
        }
        if (in.hasRemaining()) {
            throw new AssertionError("server output has " + in.remaining() + " undecodable bytes: "
                    + decoder.failureReason());
        }
        return messages;
    }

    static List<Object> amf(RtmpMessage message) {
        try {
            return Amf0Decoder.decodeAll(message.payload(), 0, message.payload().length, 16);
        } catch (Amf0Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] u32(long value) {
        return ByteBuffer.allocate(4).putInt((int) value).array();
    }
}
