package io.liveshard.node.testkit;

import io.liveshard.protocol.amf.Amf0Decoder;
import io.liveshard.protocol.amf.Amf0Encoder;
import io.liveshard.protocol.rtmp.RtmpChunkDecoder;
import io.liveshard.protocol.rtmp.RtmpChunkEncoder;
import io.liveshard.protocol.rtmp.RtmpLimits;
import io.liveshard.protocol.rtmp.RtmpMessage;
import io.liveshard.protocol.rtmp.RtmpMessageType;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal RTMP player for tests, built from the protocol module's own chunk codec and AMF0: simple handshake,
 * connect, createStream, play, then it records every message the server sends with its arrival time. Tests use
 * it where they need per-message timing that ffprobe cannot report (the first frame's arrival, onStatus codes).
 */
public final class RtmpPlayer implements AutoCloseable {

    private final java.util.concurrent.atomic.AtomicLong bytesReceived = new java.util.concurrent.atomic.AtomicLong();

    /** A message and when it arrived ({@link System#nanoTime()}). */
    public record Received(RtmpMessage message, long arrivedNanos) {
        public boolean isVideoFrame() {
            byte[] p = message.payload();
            return message.typeId() == RtmpMessageType.VIDEO.code() && p.length > 1 && p[1] == 1;
        }

        public boolean isKeyframe() {
            return message.typeId() == RtmpMessageType.VIDEO.code() && (message.payload()[0] & 0xF0) == 0x10;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final RtmpChunkEncoder encoder = new RtmpChunkEncoder(128);
    private final List<Received> messages = new CopyOnWriteArrayList<>();
    private final List<String> statusCodes = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile long connectedNanos;
    private volatile boolean ended;
    private volatile String failure;

    private RtmpPlayer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.reader = new Thread(this::read, "rtmp-player");
        this.reader.setDaemon(true);
    }

    /** Connects to {@code rtmp://host:port/app/stream} and asks to play it. */
    public static RtmpPlayer play(String host, int port, String app, String stream) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setTcpNoDelay(true);
        RtmpPlayer player = new RtmpPlayer(socket);
        player.connectedNanos = System.nanoTime();
        player.handshake();
        player.sendCommand("connect", 1, commandObject(app, "rtmp://" + host + ":" + port + "/" + app));
        player.sendCommand("createStream", 2, null);
        player.sendCommandOnStream(1, "play", 3, null, stream);
        player.reader.start();
        return player;
    }

    private static Map<String, Object> commandObject(String app, String tcUrl) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("app", app);
        command.put("flashVer", "LNX 9,0,124,2");
        command.put("tcUrl", tcUrl);
        command.put("fpad", false);
        command.put("capabilities", 15.0);
        command.put("audioCodecs", 4071.0);
        command.put("videoCodecs", 252.0);
        command.put("videoFunction", 1.0);
        return command;
    }

    private void handshake() throws IOException {
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;
        new Random(42).nextBytes(c0c1);
        c0c1[0] = 3;
        for (int i = 1; i < 9; i++) {
            c0c1[i] = 0; // time and zero fields: a simple (digest-less) handshake
        }
        out.write(c0c1);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] s0s1s2 = new byte[1 + 1536 + 1536];
        in.readFully(s0s1s2);
        if (s0s1s2[0] != 3) {
            throw new IOException("server answered RTMP version " + s0s1s2[0]);
        }
        out.write(s0s1s2, 1, 1536); // C2 echoes S1
        out.flush();
    }

    private void sendCommand(String name, double transactionId, Object commandObject) throws IOException {
        send(3, RtmpMessageType.COMMAND_AMF0.code(), 0, Amf0Encoder.encode(name, transactionId, commandObject));
    }

    private void sendCommandOnStream(int streamId, String name, double transactionId, Object commandObject,
                                     String argument) throws IOException {
        send(8, RtmpMessageType.COMMAND_AMF0.code(), streamId,
                Amf0Encoder.encode(name, transactionId, commandObject, argument));
    }

    private synchronized void send(int csid, int typeId, int streamId, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        encoder.encode(csid, typeId, 0, streamId, payload, bytes::write);
        out.write(bytes.toByteArray());
        out.flush();
    }

    /** Every byte read from the node so far, handshake included. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    public long connectedNanos() {
        return connectedNanos;
    }

    public List<Received> messages() {
        return messages;
    }

    /** The onStatus codes received so far, in order ("NetStream.Play.Start", ...). */
    public List<String> statusCodes() {
        return statusCodes;
    }

    public long videoFrames() {
        return messages.stream().filter(Received::isVideoFrame).count();
    }

    public boolean ended() {
        return ended;
    }

    public void awaitVideoFrames(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (videoFrames() < count && System.nanoTime() < deadline && !ended) {
            Thread.sleep(10);
        }
        if (videoFrames() < count) {
            throw new AssertionError("got " + videoFrames() + " RTMP video frames, wanted " + count + "; status "
                    + statusCodes + (failure != null ? "; failure: " + failure : "") + (ended ? "; ended" : ""));
        }
    }

    public void awaitStatus(String code, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!statusCodes.contains(code) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!statusCodes.contains(code)) {
            throw new AssertionError("no " + code + " within " + timeout + "; got " + statusCodes);
        }
    }

    public void awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        if (!ended) {
            throw new AssertionError("RTMP connection still open after " + timeout);
        }
    }

    private void read() {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(RtmpLimits.defaults());
        // The decoder leaves a chunk header split across reads unconsumed: it stays in the buffer (compacted).
        ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
        long received = 0;
        long acknowledged = 0;
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(bytes.array(), bytes.position(), bytes.remaining())) >= 0) {
                bytesReceived.addAndGet(n);
                long now = System.nanoTime();
                received += n;
                bytes.position(bytes.position() + n).flip();
                RtmpChunkDecoder.Result result;
                while ((result = decoder.decode(bytes)) == RtmpChunkDecoder.Result.MESSAGE) {
                    RtmpMessage message = decoder.message();
                    messages.add(new Received(message, now));
                    if (message.typeId() == RtmpMessageType.COMMAND_AMF0.code()) {
                        recordStatus(message);
                    }
                }
                if (result == RtmpChunkDecoder.Result.BAD_MESSAGE) {
                    failure = "bad RTMP from the server: " + decoder.failureReason();
                    return;
                }
                bytes.compact();
                if (received - acknowledged > 1_000_000) {
                    acknowledged = received;
                    send(2, RtmpMessageType.ACKNOWLEDGEMENT.code(), 0,
                            ByteBuffer.allocate(4).putInt((int) received).array());
                }
            }
        } catch (IOException e) {
            if (!ended) {
                failure = e.toString();
            }
        } finally {
            ended = true;
        }
    }

    private void recordStatus(RtmpMessage message) {
        try {
            List<Object> values = Amf0Decoder.decodeAll(message.payload(), 0, message.payload().length, 16);
            if ("onStatus".equals(values.get(0)) && values.size() > 3 && values.get(3) instanceof Map<?, ?> info) {
                statusCodes.add(String.valueOf(info.get("code")));
            }
        } catch (Exception e) {
            failure = "undecodable command from the server: " + e;
        }
    }

    @Override
    public void close() throws IOException {
        ended = true;
        socket.close();
    }
}
