package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idle HTTP connections are closed after {@code pekko.http.server.idle-timeout}, as Pekko HTTP's own binding does:
 * one that never sends a request, and a kept-alive one after its last response. Otherwise anybody could hold
 * sockets of the node forever.
 */
class HttpIdleConnectionsTest {

    private static LiveShardNode node;

    @BeforeAll
    static void startNode() throws Exception {
        node = TestNode.start(Map.of("pekko.http.server.idle-timeout", "2s"));
    }

    @AfterAll
    static void stopNode() throws Exception {
        node.close();
    }

    @Test
    void aConnectionThatNeverAsksIsClosed() throws Exception {
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            assertClosedByServer(socket.getInputStream());
            assertTrue(System.nanoTime() - start < 8_000_000_000L);
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedAfterItsLastResponse() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /api/v1/time HTTP/1.1\r\nHost: test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] head = new byte[15];
            assertEquals(15, in.readNBytes(head, 0, 15));
            assertEquals("HTTP/1.1 200 OK", new String(head, StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertClosedByServer(in);
            assertTrue(System.nanoTime() - start > 1_000_000_000L, "closed before the idle timeout");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", node.httpPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Reads (and drops) whatever is left until the server closes; fails if it does not within the socket timeout. */
    private static void assertClosedByServer(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // the rest of the response
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
    }
}
