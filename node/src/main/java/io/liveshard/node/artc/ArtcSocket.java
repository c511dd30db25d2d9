package io.liveshard.node.artc;

import io.liveshard.node.net.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's share of the artc port: a non-blocking UDP socket bound, like the other loops' sockets, to the
 * artc address and port with {@code SO_REUSEPORT}. The kernel spreads incoming datagrams over the sockets by
 * sender address; each loop reads its own and hands them to the {@link ArtcTransport}'s router. The sessions of a
 * loop send media through its socket on the loop thread, so no two threads contend for a socket and a session's
 * packets need no hand-over to another thread.
 *
 * <p>Backpressure: when the kernel's send buffer is full (the network interface is behind), refused datagrams wait
 * in a bounded {@link ArtcSendBacklog}, in order, and the loop's sessions stop taking frames from their queues
 * ({@link #congested()}, {@link #waitForRoom}) until the socket is writable and the backlog has gone out; their
 * queues meanwhile apply the slow-consumer policy of every other protocol.
 */
final class ArtcSocket implements EventLoop.SelectableHandler {

    private static final Logger log = LoggerFactory.getLogger(ArtcSocket.class);
    /** Largest datagram read or sent: an Ethernet MTU, more than any STUN, DTLS, SRTP or SRTCP packet here. */
    static final int DATAGRAM = 1500;
    /** Refused datagrams kept for later: more than the packets of one large keyframe. */
    static final int BACKLOG_DATAGRAMS = 512;
    /** Datagrams read per readiness: the rest wait one turn so that sending gets its share of the loop. */
    private static final int RECEIVES_PER_TURN = 64;

    /** Where received datagrams go; called on this socket's loop. */
    interface Receiver {
        void received(byte[] datagram, int length, InetSocketAddress sender);
    }

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final Receiver receiver;
    private final ByteBuffer received = ByteBuffer.allocate(DATAGRAM);
    private final ByteBuffer outgoing = ByteBuffer.allocateDirect(DATAGRAM);
    private final ArtcSendBacklog backlog = new ArtcSendBacklog(BACKLOG_DATAGRAMS, DATAGRAM);
    private final Set<EventLoop.Writer> waitingForRoom = new LinkedHashSet<>();
    private final LongAdder dropped;
    private SelectionKey key;
    private long refusedDatagrams;

    private ArtcSocket(EventLoop loop, DatagramChannel channel, Receiver receiver, LongAdder dropped) {
        this.loop = loop;
        this.channel = channel;
        this.receiver = receiver;
        this.dropped = dropped;
    }

    /** Registers {@code channel} (bound, non-blocking) with {@code loop}; completes once the loop has done it. */
    static CompletableFuture<ArtcSocket> register(EventLoop loop, DatagramChannel channel, Receiver receiver,
                                                  LongAdder dropped) {
        ArtcSocket socket = new ArtcSocket(loop, channel, receiver, dropped);
        CompletableFuture<ArtcSocket> registered = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                socket.key = loop.register(channel, SelectionKey.OP_READ, socket);
                registered.complete(socket);
            } catch (IOException | RuntimeException e) {
                registered.completeExceptionally(e);
            }
        });
        return registered;
    }

    EventLoop loop() {
        return loop;
    }

    /** True while refused datagrams wait: the loop's sessions should not take new frames. Loop thread only. */
    boolean congested() {
        return !backlog.isEmpty();
    }

    /** {@code writer} is let write again once the backlog has gone out. Loop thread only. */
    void waitForRoom(EventLoop.Writer writer) {
        waitingForRoom.add(writer);
    }

    /**
     * Sends a datagram from the loop thread. A datagram the kernel refuses for want of buffer space waits in the
     * backlog (so does every later one, to keep the order); false when even the backlog had no room.
     */
    boolean send(byte[] bytes, int offset, int length, InetSocketAddress to) throws IOException {
        if (backlog.isEmpty()) {
            loop.clock().step();
            outgoing.clear();
            outgoing.put(bytes, offset, length).flip();
            if (channel.send(outgoing, to) > 0) {
                return true;
            }
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            if (refusedDatagrams++ == 0) {
                log.warn("artc: the UDP send buffer is full (the network is behind the viewers' bitrate); "
                        + "sessions on {} wait for it", Thread.currentThread().getName());
            }
        }
        if (backlog.add(bytes, offset, length, to)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /**
     * Sends a handshake or control datagram (STUN, DTLS) from any thread, around the backlog: the channel itself is
     * safe for concurrent senders, and a refused handshake datagram is retransmitted by its protocol.
     */
    void sendControl(byte[] bytes, int offset, int length, InetSocketAddress to) throws IOException {
        if (channel.send(ByteBuffer.wrap(bytes, offset, length), to) == 0) {
            dropped.increment();
        }
    }

    @Override
    public void onSelected(SelectionKey selected) {
        if (selected.isValid() && selected.isWritable()) {
            flushBacklog();
        }
        if (selected.isValid() && selected.isReadable()) {
            receive();
        }
    }

    private void receive() {
        for (int i = 0; i < RECEIVES_PER_TURN; i++) {
            try {
                loop.clock().step();
                received.clear();
                SocketAddress from = channel.receive(received);
                if (from == null) {
                    return;
                }
                if (from instanceof InetSocketAddress sender) {
                    receiver.received(received.array(), received.position(), sender);
                }
            } catch (IOException | RuntimeException e) {
                // One bad datagram or session must not stop the socket for everyone else.
                if (!channel.isOpen()) {
                    return;
                }
                log.warn("artc: dropped a datagram: {}", e.toString());
                dropped.increment();
            }
        }
    }

    private void flushBacklog() {
        try {
            while (!backlog.isEmpty()) {
                loop.clock().step();
                outgoing.clear();
                outgoing.put(backlog.firstBytes(), 0, backlog.firstLength()).flip();
                if (channel.send(outgoing, backlog.firstTarget()) == 0) {
                    return;
                }
                backlog.removeFirst();
            }
        } catch (IOException e) {
            log.warn("artc: a waiting datagram could not be sent: {}", e.toString());
            backlog.removeFirst();
            dropped.increment();
            return;
        }
        key.interestOps(SelectionKey.OP_READ);
        for (EventLoop.Writer writer : waitingForRoom) {
            loop.readyNow(writer);
        }
        waitingForRoom.clear();
    }

    @Override
    public void onTick(long nowNanos) {
        // No deadlines of its own: sessions time out in the WHEP handler's sweep.
    }

    @Override
    public void onLoopStopped() {
        close();
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("artc: socket did not close: {}", e.toString());
        }
    }
}
