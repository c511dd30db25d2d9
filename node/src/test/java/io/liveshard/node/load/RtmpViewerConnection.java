package io.liveshard.node.load;

import io.liveshard.protocol.amf.Amf0Encoder;
import io.liveshard.protocol.rtmp.RtmpChunkDecoder;
import io.liveshard.protocol.rtmp.RtmpChunkEncoder;
import io.liveshard.protocol.rtmp.RtmpLimits;
import io.liveshard.protocol.rtmp.RtmpMessage;
import io.liveshard.protocol.rtmp.RtmpMessageType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An RTMP viewer, like {@code ffplay rtmp://…}: simple handshake (C0+C1, then C2 echoing S1), connect, createStream
 * and play on message stream 1, then messages through {@link RtmpChunkDecoder}, acknowledging every megabyte.
 */
final class RtmpViewerConnection extends ViewerConnection {

    private static final int HANDSHAKE_PACKET = 1536;
    private static final int PLAY_STREAM_ID = 1;
    /** Acknowledgement interval, well inside the window the node announces (2.5 MB by default). */
    private static final long ACK_EVERY_BYTES = 1_000_000;

    private final String app;
    private final String stream;
    private final String tcUrl;
    private final RtmpChunkEncoder encoder = new RtmpChunkEncoder(RtmpLimits.DEFAULT_CHUNK_SIZE);
    private final RtmpChunkDecoder decoder = new RtmpChunkDecoder(RtmpLimits.defaults());
    private final byte[] serverHandshake = new byte[1 + 2 * HANDSHAKE_PACKET];
    private int serverHandshakeFill;
    private long received;
    private long acknowledged;

    RtmpViewerConnection(int id, String host, int port, String app, String stream, MeasurementWindow window,
                         AtomicInteger receivingViewers) {
        super("rtmp", id, window, receivingViewers);
        this.app = app;
        this.stream = stream;
        this.tcUrl = "rtmp://" + host + ":" + port + "/" + app;
    }

    @Override
    void onConnected() {
        byte[] c0c1 = new byte[1 + HANDSHAKE_PACKET];
        ThreadLocalRandom.current().nextBytes(c0c1);
        c0c1[0] = 3;
        for (int i = 1; i < 9; i++) {
            c0c1[i] = 0; // time and zero version: the simple handshake
        }
        send(c0c1);
    }

    private byte[] unread = new byte[0];

    @Override
    void onBytes(ByteBuffer in, long nowNanos) {
        countBytes(in.remaining(), nowNanos);
        received += in.remaining();
        if (serverHandshakeFill < serverHandshake.length) {
            int n = Math.min(serverHandshake.length - serverHandshakeFill, in.remaining());
            in.get(serverHandshake, serverHandshakeFill, n);
            serverHandshakeFill += n;
            if (serverHandshakeFill < serverHandshake.length) {
                return;
            }
            if (serverHandshake[0] != 3) {
                fail("node answered RTMP version " + serverHandshake[0]);
                return;
            }
            sendPlay();
        }
        // The decoder leaves a chunk header split across reads unconsumed; it goes in front of the next read.
        ByteBuffer input = in;
        if (unread.length > 0) {
            input = ByteBuffer.allocate(unread.length + in.remaining()).put(unread).put(in).flip();
        }
        RtmpChunkDecoder.Result result;
        while ((result = decoder.decode(input)) == RtmpChunkDecoder.Result.MESSAGE) {
            onMessage(decoder.message(), nowNanos);
        }
        if (result == RtmpChunkDecoder.Result.BAD_MESSAGE) {
            fail("bad RTMP from the node: " + decoder.failureReason());
            return;
        }
        unread = new byte[input.remaining()];
        input.get(unread);
        if (received - acknowledged >= ACK_EVERY_BYTES) {
            acknowledged = received;
            sendMessage(2, RtmpMessageType.ACKNOWLEDGEMENT.code(), 0,
                    ByteBuffer.allocate(4).putInt((int) received).array());
        }
    }

    private void sendPlay() {
        byte[] c2 = new byte[HANDSHAKE_PACKET];
        System.arraycopy(serverHandshake, 1, c2, 0, HANDSHAKE_PACKET);
        send(c2);
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("app", app);
        command.put("flashVer", "LNX 9,0,124,2");
        command.put("tcUrl", tcUrl);
        command.put("fpad", false);
        command.put("capabilities", 15.0);
        command.put("audioCodecs", 4071.0);
        command.put("videoCodecs", 252.0);
        command.put("videoFunction", 1.0);
        sendMessage(3, RtmpMessageType.COMMAND_AMF0.code(), 0, Amf0Encoder.encode("connect", 1.0, command));
        sendMessage(3, RtmpMessageType.COMMAND_AMF0.code(), 0, Amf0Encoder.encode("createStream", 2.0, null));
        sendMessage(8, RtmpMessageType.COMMAND_AMF0.code(), PLAY_STREAM_ID,
                Amf0Encoder.encode("play", 3.0, null, stream));
    }

    private void sendMessage(int csid, int typeId, int messageStreamId, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        encoder.encode(csid, typeId, 0, messageStreamId, payload, bytes::write);
        send(bytes.toByteArray());
    }

    private void onMessage(RtmpMessage message, long nowNanos) {
        byte[] payload = message.payload();
        if (message.typeId() == RtmpMessageType.VIDEO.code()) {
            if (payload.length > 1 && (payload[0] & 0x80) == 0 && payload[1] == 1) {
                onMediaFrame(true, message.timestamp(), nowNanos);
            }
        } else if (message.typeId() == RtmpMessageType.AUDIO.code()) {
            if (payload.length > 0 && !HttpFlvViewerConnection.isAacConfig(payload)) {
                onMediaFrame(false, message.timestamp(), nowNanos);
            }
        }
    }
}
