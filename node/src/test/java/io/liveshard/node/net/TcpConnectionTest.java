package io.liveshard.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event-loop socket layer over real loopback sockets: ordering, wake-ups, full sockets, reads, closing. */
class TcpConnectionTest {

    private EventLoops loops;
    private TcpListener listener;
    private final CompletableFuture<TcpConnection> accepted = new CompletableFuture<>();

    @BeforeEach
    void listen() throws Exception {
        loops = EventLoops.start("test-net", 2, Duration.ZERO);
        listener = TcpListener.bind(loops, new InetSocketAddress("127.0.0.1", 0), 0, accepted::complete)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        loops.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", listener.localAddress().getPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** The accepted side of {@code client}, whose receive buffer is made small so that the socket fills soon. */
    private TcpConnection acceptWithReceiveBuffer(Socket client, int bytes) throws Exception {
        client.setReceiveBufferSize(bytes);
        TcpConnection connection = accepted.get(5, TimeUnit.SECONDS);
        connection.attach(new RecordingListener());
        return connection;
    }

    /** Wakes the egress until a wake-up finds the socket still busy (at most a second). */
    private static void wakeUntilTheSocketIsFull(TcpConnection connection, QueueEgress egress)
            throws InterruptedException {
        for (int attempt = 0; attempt < 50 && egress.busyPolls.get() == 0; attempt++) {
            connection.egressWakeUp().run();
            Thread.sleep(20);
        }
    }

    private static String read(InputStream in, int length) throws IOException {
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static ByteString ascii(String text) {
        return ByteString.fromString(text, StandardCharsets.US_ASCII);
    }

    @Test
    void controlBytesGoOutBeforeTheEgressAndTheEgressWritesWhatQueuesAfterEachWakeUp() throws Exception {
        try (Socket client = connect()) {
            TcpConnection connection = accepted.get(5, TimeUnit.SECONDS);
            RecordingListener events = new RecordingListener();
            connection.attach(events);
            QueueEgress egress = new QueueEgress();
            egress.queue.add(ascii("first-media;"));
            connection.send(ascii("status;"));
            connection.startEgress(egress);
            InputStream in = client.getInputStream();
            assertEquals("status;first-media;", read(in, 19));
            assertEquals("flushed", events.events.poll(5, TimeUnit.SECONDS));

            egress.queue.add(ascii("a;"));
            egress.queue.add(ascii("b;"));
            connection.egressWakeUp().run();
            assertEquals("a;b;", read(in, 4));
            connection.send(ascii("ping;"));
            assertEquals("ping;", read(in, 5));
        }
    }

    @Test
    void bytesSplitByPartialWritesArriveWholeAndInOrder() throws Exception {
        try (Socket client = connect()) {
            TcpConnection connection = acceptWithReceiveBuffer(client, 64 * 1024);
            // 8 MiB in pieces of odd sizes, each made of two arrays (as an encoder's header and body slices), to a
            // client that reads nothing at first: the socket fills, so writes end inside pieces and resume there.
            byte[] expected = new byte[8 * 1024 * 1024];
            new Random(7).nextBytes(expected);
            QueueEgress egress = new QueueEgress();
            int offset = 0;
            for (int piece = 0; offset < expected.length; piece++) {
                int length = Math.min(expected.length - offset, 1 + (piece * 7919) % 90_000);
                int split = length / 3;
                egress.queue.add(ByteString.fromArrayUnsafe(expected, offset, split)
                        .concat(ByteString.fromArrayUnsafe(expected, offset + split, length - split)));
                offset += length;
            }
            connection.startEgress(egress);
            wakeUntilTheSocketIsFull(connection, egress);
            assertTrue(egress.busyPolls.get() > 0, "the socket filled up");
            InputStream in = client.getInputStream();
            byte[] received = in.readNBytes(expected.length);
            assertTrue(Arrays.equals(expected, received), "every byte, in order");
        }
    }

    @Test
    void readsReachTheListenerOnlyWhenAskedFor() throws Exception {
        try (Socket client = connect()) {
            TcpConnection connection = accepted.get(5, TimeUnit.SECONDS);
            RecordingListener events = new RecordingListener();
            connection.attach(events);
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            assertNull(events.events.poll(300, TimeUnit.MILLISECONDS), "nothing read without demand");
            connection.requestRead();
            assertEquals("received hello", events.events.poll(5, TimeUnit.SECONDS));
            client.shutdownOutput();
            connection.requestRead();
            assertEquals("peer closed", events.events.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPeerThatStopsReadingIsAskedAboutOnlyWhileItsSocketIsFull() throws Exception {
        try (Socket client = connect()) {
            TcpConnection connection = acceptWithReceiveBuffer(client, 16 * 1024);
            ByteString megabyte = ByteString.fromArrayUnsafe(new byte[1024 * 1024]);
            QueueEgress egress = new QueueEgress();
            for (int i = 0; i < 16; i++) {
                egress.queue.add(megabyte);
            }
            connection.startEgress(egress);
            // The client reads nothing: the socket fills, the rest of the 16 MiB stays with the egress.
            wakeUntilTheSocketIsFull(connection, egress);
            assertTrue(egress.busyPolls.get() > 0, "a wake-up while the socket is full polls as busy");
            assertTrue(!egress.queue.isEmpty(), "nothing is taken while the socket is full");
            connection.abort();
            assertTrue(egress.closed.await(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aClosingConnectionTellsItsEgressOnceAndItsListener() throws Exception {
        Socket client = connect();
        TcpConnection connection = accepted.get(5, TimeUnit.SECONDS);
        RecordingListener events = new RecordingListener();
        connection.attach(events);
        QueueEgress egress = new QueueEgress();
        connection.startEgress(egress);
        connection.requestRead();
        client.close();
        assertEquals("peer closed", events.events.poll(5, TimeUnit.SECONDS));
        connection.closeWhenFlushed();
        assertEquals("closed null", events.events.poll(5, TimeUnit.SECONDS));
        assertTrue(egress.closed.await(5, TimeUnit.SECONDS));
        connection.abort();
        QueueEgress late = new QueueEgress();
        connection.startEgress(late);
        assertTrue(late.closed.await(5, TimeUnit.SECONDS), "an egress started on a closed connection is told");
        Thread.sleep(100);
        assertEquals(1, egress.closedCalls.get());
    }

    @Test
    void wakeUpsWithinAMergeWindowShareOneWrite() throws Exception {
        try (EventLoops merging = EventLoops.start("test-merge", 1, Duration.ofMillis(200))) {
            CompletableFuture<TcpConnection> acceptedHere = new CompletableFuture<>();
            TcpListener port = TcpListener.bind(merging, new InetSocketAddress("127.0.0.1", 0), 0,
                    acceptedHere::complete).toCompletableFuture().get(5, TimeUnit.SECONDS);
            try (Socket client = new Socket("127.0.0.1", port.localAddress().getPort())) {
                client.setSoTimeout(5_000);
                TcpConnection connection = acceptedHere.get(5, TimeUnit.SECONDS);
                connection.attach(new RecordingListener());
                QueueEgress egress = new QueueEgress();
                connection.startEgress(egress);
                // The first wake-up of a window may drain at once; those within the next 200 ms must wait for it.
                egress.queue.add(ascii("0;"));
                connection.egressWakeUp().run();
                assertEquals("0;", read(client.getInputStream(), 2));
                int drainsBefore = egress.drains.get();
                long start = System.nanoTime();
                for (int i = 1; i <= 5; i++) {
                    egress.queue.add(ascii(i + ";"));
                    connection.egressWakeUp().run();
                    Thread.sleep(10);
                }
                assertEquals("1;2;3;4;5;", read(client.getInputStream(), 10));
                assertTrue(egress.drains.get() - drainsBefore <= 2,
                        "five wake-ups in 50 ms drained " + (egress.drains.get() - drainsBefore) + " times");
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1_000));
            }
        }
    }

    @Test
    void aClosingConnectionWhosePeerStopsReadingIsResetAfterItsLinger() throws Exception {
        try (Socket client = connect()) {
            client.setReceiveBufferSize(16 * 1024);
            TcpConnection connection = accepted.get(5, TimeUnit.SECONDS);
            RecordingListener events = new RecordingListener();
            connection.attach(events);
            connection.send(ByteString.fromArrayUnsafe(new byte[32 * 1024 * 1024]));
            connection.closeWhenFlushed();
            long start = System.nanoTime();
            String closed;
            do {
                closed = events.events.poll(20, TimeUnit.SECONDS);
            } while (closed != null && !closed.startsWith("closed"));
            assertEquals("closed null", closed, "the connection was not closed");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds >= 9 && seconds <= 15, "closed after " + seconds + " s");
        }
    }

    @Test
    void connectionsBeyondTheMaximumAreResetAndCountedBackWhenOthersClose() throws Exception {
        try (EventLoops bounded = EventLoops.start("test-max", 1, Duration.ZERO)) {
            LinkedBlockingQueue<TcpConnection> acceptedHere = new LinkedBlockingQueue<>();
            TcpListener port = TcpListener.bind(bounded, new InetSocketAddress("127.0.0.1", 0), 2,
                    acceptedHere::add).toCompletableFuture().get(5, TimeUnit.SECONDS);
            int portNumber = port.localAddress().getPort();
            try (Socket first = new Socket("127.0.0.1", portNumber); Socket second = new Socket("127.0.0.1", portNumber);
                 Socket third = new Socket("127.0.0.1", portNumber)) {
                third.setSoTimeout(5_000);
                TcpConnection firstConnection = acceptedHere.poll(5, TimeUnit.SECONDS);
                assertTrue(acceptedHere.poll(5, TimeUnit.SECONDS) != null);
                assertEquals(-1, readOrReset(third), "the third connection is refused");
                assertNull(acceptedHere.poll(300, TimeUnit.MILLISECONDS));
                firstConnection.abort();
                Thread.sleep(200);
                try (Socket fourth = new Socket("127.0.0.1", portNumber)) {
                    assertTrue(acceptedHere.poll(5, TimeUnit.SECONDS) != null, "a closed connection frees its place");
                }
            }
        }
    }

    private static int readOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    /** Listener events as strings, in order. */
    private static final class RecordingListener implements TcpConnection.Listener {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void received(ByteString bytes) {
            events.add("received " + bytes.utf8String());
        }

        @Override
        public void peerClosed() {
            events.add("peer closed");
        }

        @Override
        public void flushed() {
            events.add("flushed");
        }

        @Override
        public void closed(Throwable cause) {
            events.add("closed " + cause);
        }
    }

    /** An egress fed by the test. */
    private static final class QueueEgress implements TcpConnection.Egress {
        final ConcurrentLinkedQueue<ByteString> queue = new ConcurrentLinkedQueue<>();
        final AtomicInteger busyPolls = new AtomicInteger();
        /** Polls that found nothing: each ends one drain of the egress. */
        final AtomicInteger drains = new AtomicInteger();
        final AtomicInteger closedCalls = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public ByteString poll(boolean socketBusy) {
            if (socketBusy) {
                busyPolls.incrementAndGet();
                return null;
            }
            ByteString next = queue.poll();
            if (next == null) {
                drains.incrementAndGet();
            }
            return next;
        }

        @Override
        public void closed() {
            closedCalls.incrementAndGet();
            closed.countDown();
        }
    }
}
