package io.liveshard.node.testkit;

import io.liveshard.protocol.amf.Amf0Encoder;
import io.liveshard.protocol.rtmp.RtmpChunkEncoder;
import io.liveshard.protocol.rtmp.RtmpMessageType;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A deliberately misbehaving RTMP client: it can do a proper handshake and connect, then send whatever bytes a
 * test wants, and tell whether the server closed the connection.
 */
public final class RawRtmpClient implements AutoCloseable {

    private final Socket socket;
    private final RtmpChunkEncoder encoder = new RtmpChunkEncoder(128);
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RawRtmpClient(Socket socket) {
        this.socket = socket;
    }

    public static RawRtmpClient open(int port) throws IOException {
        return open(port, 0);
    }

    /** @param receiveBuffer a small SO_RCVBUF makes a client that stops reading back up the server quickly */
    public static RawRtmpClient open(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setTcpNoDelay(true);
        return new RawRtmpClient(socket);
    }

    public RawRtmpClient sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** A simple handshake: C0+C1, read S0+S1+S2, C2. */
    public RawRtmpClient handshake() throws IOException {
        byte[] c0c1 = new byte[1537];
        c0c1[0] = 3;
        sendRaw(c0c1);
        new DataInputStream(socket.getInputStream()).readFully(new byte[3073]);
        return sendRaw(new byte[1536]);
    }

    public RawRtmpClient send(int csid, int typeId, int streamId, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        encoder.encode(csid, typeId, 0, streamId, payload, bytes::write);
        return sendRaw(bytes.toByteArray());
    }

    public RawRtmpClient command(int streamId, Object... values) throws IOException {
        return send(3, RtmpMessageType.COMMAND_AMF0.code(), streamId, Amf0Encoder.encode(values));
    }

    /** connect to {@code app}. */
    public RawRtmpClient connect(String app) throws IOException {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("app", app);
        command.put("tcUrl", "rtmp://127.0.0.1/" + app);
        return command(0, "connect", 1.0, command);
    }

    /**
     * Reads until the server closes the connection, at most {@code timeout}.
     *
     * @return true if the server closed it
     */
    public boolean awaitClosedByServer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        socket.setSoTimeout(100);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                // nothing yet; keep waiting
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    /**
     * Reads until what was received contains {@code text} (an AMF string such as a status code), at most
     * {@code timeout}.
     *
     * @return true if it arrived
     */
    public boolean awaitText(String text, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        socket.setSoTimeout(100);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (!receivedText().contains(text) && System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                // nothing yet; keep waiting
            }
        }
        return receivedText().contains(text);
    }

    /** Everything received so far as Latin-1 text, to look for AMF strings such as status codes. */
    public String receivedText() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
