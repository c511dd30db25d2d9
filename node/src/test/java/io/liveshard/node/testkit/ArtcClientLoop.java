package io.liveshard.node.testkit;

import io.liveshard.protocol.dtls.DtlsCertificate;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The threads behind any number of {@link ArtcTestClient}s: a few selector threads that read every client's UDP
 * sockets (non-blocking, one receive buffer per thread, no copy of a media packet unless a test asks to keep it),
 * one timer that sends the clients' ICE consent checks, and a pool for the blocking parts (WHEP POST, the
 * BouncyCastle DTLS handshake). One certificate serves every client of a loop, as one browser profile does.
 */
public final class ArtcClientLoop implements AutoCloseable {

    /** Largest datagram read: an Ethernet MTU's worth, more than the node ever sends. */
    static final int RECEIVE_BUFFER = 1500;
    /** How often the timer looks for clients whose consent check is due. */
    private static final long CONSENT_TICK_MILLIS = 100;

    private final List<Reader> readers = new ArrayList<>();
    private final List<ArtcTestClient> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService consent;
    private final ExecutorService blocking;
    private final DtlsCertificate certificate;
    private final SecureRandom random = new SecureRandom();
    private int nextReader;

    /**
     * @param readerThreads selector threads reading the clients' sockets
     * @param blockingThreads threads for WHEP requests and DTLS handshakes running at once
     */
    public ArtcClientLoop(int readerThreads, int blockingThreads) throws IOException {
        for (int i = 0; i < readerThreads; i++) {
            Reader reader = new Reader("artc-client-read-" + i, Selector.open());
            readers.add(reader);
            reader.start();
        }
        this.consent = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "artc-client-consent"));
        this.consent.scheduleWithFixedDelay(this::tick, CONSENT_TICK_MILLIS, CONSENT_TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        this.blocking = Executors.newFixedThreadPool(blockingThreads,
                runnable -> daemon(runnable, "artc-client-handshake"));
        this.certificate = DtlsCertificate.generate("artc-test-client", random);
    }

    /** One reader and one handshake thread: enough for a test's few clients. */
    public static ArtcClientLoop forTests() throws IOException {
        return new ArtcClientLoop(1, 4);
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    SecureRandom random() {
        return random;
    }

    ExecutorService blocking() {
        return blocking;
    }

    void add(ArtcTestClient client) {
        clients.add(client);
    }

    void remove(ArtcTestClient client) {
        clients.remove(client);
    }

    /** Reads {@code channel} (non-blocking) from now on, handing each datagram to {@code client}. */
    synchronized void register(DatagramChannel channel, ArtcTestClient client, int socketIndex) throws IOException {
        channel.configureBlocking(false);
        Reader reader = readers.get(nextReader++ % readers.size());
        reader.pending.add(new Registration(channel, client, socketIndex));
        reader.selector.wakeup();
    }

    private void tick() {
        long now = System.nanoTime();
        for (ArtcTestClient client : clients) {
            client.tick(now);
        }
    }

    @Override
    public void close() {
        consent.shutdownNow();
        blocking.shutdownNow();
        for (Reader reader : readers) {
            reader.running = false;
            reader.selector.wakeup();
        }
        for (Reader reader : readers) {
            try {
                reader.join(2000);
                reader.selector.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private record Registration(DatagramChannel channel, ArtcTestClient client, int socketIndex) {
    }

    /** The attachment of a registered socket. */
    private record Target(ArtcTestClient client, int socketIndex) {
    }

    private static final class Reader extends Thread {

        private final Selector selector;
        private final ConcurrentLinkedQueue<Registration> pending = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;

        Reader(String name, Selector selector) {
            super(name);
            this.selector = selector;
            setDaemon(true);
        }

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
            byte[] bytes = buffer.array();
            while (running) {
                try {
                    Registration registration;
                    while ((registration = pending.poll()) != null) {
                        try {
                            registration.channel().register(selector, SelectionKey.OP_READ,
                                    new Target(registration.client(), registration.socketIndex()));
                        } catch (ClosedChannelException e) {
                            // The client closed before its socket was read.
                        }
                    }
                    selector.select(100);
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        Target target = (Target) key.attachment();
                        DatagramChannel channel = (DatagramChannel) key.channel();
                        try {
                            while (true) {
                                buffer.clear();
                                SocketAddress from = channel.receive(buffer);
                                if (from == null) {
                                    break;
                                }
                                target.client().onDatagram(bytes, buffer.position(), target.socketIndex(),
                                        System.nanoTime());
                            }
                        } catch (IOException e) {
                            key.cancel();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (running) {
                        System.err.println("artc client reader: " + e);
                    }
                }
            }
        }
    }
}
