package io.liveshard.protocol.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The datagram side of one DTLS association when many associations share one UDP socket: the socket's reader
 * {@link #offer}s the DTLS datagrams of this peer (RFC 7983 demultiplexing, first octet 20 to 63) and BouncyCastle's
 * handshake thread takes them with {@link #receive}; what BouncyCastle sends goes straight to the {@link Sender}.
 *
 * <p>The queue is bounded so that a flood for one peer costs bounded memory; datagrams beyond it are dropped and
 * counted, which DTLS survives through retransmission.
 */
public final class DtlsDatagramTransport implements DatagramTransport {

    /** Where this association's outgoing datagrams go, e.g. the shared socket with the peer's address. */
    @FunctionalInterface
    public interface Sender {
        /** Sends {@code buf[off, off + len)} as one datagram before returning; the buffer is reused afterwards. */
        void send(byte[] buf, int off, int len) throws IOException;
    }

    /** Datagrams queued before the handshake takes them: a whole flight of a client (a dozen at most) with room. */
    public static final int MAX_QUEUED_DATAGRAMS = 64;
    /**
     * Largest DTLS datagram BouncyCastle sends: handshake messages are fragmented to fit. 1200 octets is the size
     * WebRTC stacks keep to so that DTLS passes tunnels and TURN without IP fragmentation (RFC 8261 section 5 uses
     * the same reasoning for SCTP over DTLS).
     */
    public static final int SEND_LIMIT = 1200;
    /** Largest datagram accepted: an Ethernet MTU minus IPv4 and UDP headers; longer ones are cut and then fail. */
    public static final int RECEIVE_LIMIT = 1472;

    /** Queued by {@link #close} so that a waiting {@link #receive} returns at once, not at its timeout. */
    private static final byte[] CLOSED = new byte[0];

    private final Sender sender;
    private final BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(MAX_QUEUED_DATAGRAMS);
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    public DtlsDatagramTransport(Sender sender) {
        this.sender = sender;
    }

    /** Two transports joined in memory: what one sends, the other receives. A handshake without sockets. */
    public record InMemoryPair(DtlsDatagramTransport serverSide, DtlsDatagramTransport clientSide)
            implements AutoCloseable {

        public static InMemoryPair open() {
            AtomicReference<DtlsDatagramTransport> toClient = new AtomicReference<>();
            AtomicReference<DtlsDatagramTransport> toServer = new AtomicReference<>();
            InMemoryPair pair = new InMemoryPair(
                    new DtlsDatagramTransport((buf, off, len) -> toClient.get().offer(buf, off, len)),
                    new DtlsDatagramTransport((buf, off, len) -> toServer.get().offer(buf, off, len)));
            toClient.set(pair.clientSide);
            toServer.set(pair.serverSide);
            return pair;
        }

        @Override
        public void close() {
            serverSide.close();
            clientSide.close();
        }
    }

    /**
     * Hands a received datagram to the handshake; copies it, so the caller keeps its buffer. Never blocks.
     *
     * @return false when the datagram was dropped because the queue is full or the transport closed
     */
    public boolean offer(byte[] buf, int off, int len) {
        if (closed || !received.offer(Arrays.copyOfRange(buf, off, off + len))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** True while offered datagrams wait for a {@link #receive}. */
    public boolean hasQueued() {
        return !received.isEmpty();
    }

    /** Datagrams dropped by {@link #offer} so far. */
    public long droppedDatagrams() {
        return dropped.get();
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /** Waits up to {@code waitMillis} for a datagram; -1 tells BouncyCastle the wait timed out. */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("dtls transport closed");
        }
        byte[] datagram;
        try {
            datagram = received.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("dtls receive interrupted");
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == CLOSED || closed) {
            throw new IOException("dtls transport closed");
        }
        int length = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, length);
        return length;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("dtls transport closed");
        }
        sender.send(buf, off, len);
    }

    /**
     * Stops both directions; a waiting {@link #receive} fails at once, so the thread that keeps the association
     * after its handshake can wait for the viewer's datagrams as long as it likes.
     */
    @Override
    public void close() {
        closed = true;
        received.clear();
        received.offer(CLOSED);
    }
}
