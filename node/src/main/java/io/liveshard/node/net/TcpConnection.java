package io.liveshard.node.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted TCP connection, owned by one {@link EventLoop}: every read and write happens on that loop's thread,
 * so the fields below need no locks. Two kinds of writers share its single outbound queue, in order:
 * <ul>
 *   <li>the connection's protocol stage ({@link #send}), for handshakes, commands and responses, through a Pekko
 *       Streams {@link TcpConnectionStage} with backpressure;</li>
 *   <li>once a viewer plays, its {@link Egress}: whenever the socket has taken everything written so far, the loop
 *       asks the egress for whatever queued meanwhile and writes it with one write. Batches therefore
 *       grow only while the socket is busy, and a frame reaches the socket without any actor message.</li>
 * </ul>
 */
public final class TcpConnection implements EventLoop.SelectableHandler, EventLoop.Writer {

    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);
    /**
     * How long a closing connection may take to write what is left. A peer that stops reading would otherwise keep
     * the socket forever once nothing else watches it (its protocol stage and its limits are already done).
     */
    private static final long CLOSE_LINGER_NANOS = 10_000_000_000L;

    /** The protocol stage's side of the connection; every method is called on the loop thread. */
    public interface Listener {
        /** Bytes arrived; no more are read until {@link #requestRead()}. */
        void received(ByteString bytes);

        /** The peer closed its sending side. */
        void peerClosed();

        /** Everything given to {@link #send} so far is written to the socket. */
        void flushed();

        /** The connection is closed; {@code cause} is null when it closed normally. */
        void closed(Throwable cause);
    }

    /** A player's media source; called on the loop thread. */
    public interface Egress {
        /**
         * @param socketBusy true when earlier bytes still wait for the socket: take nothing then, only notice a
         *                   viewer that has to be disconnected
         * @return the bytes to write next, or null when nothing is queued (the egress's wake-up comes later)
         */
        ByteString poll(boolean socketBusy);

        /** The connection closed (the peer left, or it was closed here): no more polls will come. */
        void closed();
    }

    private final SocketChannel channel;
    private final EventLoop loop;
    private final InetSocketAddress remoteAddress;
    private final Runnable onClosed;
    /** Bytes not yet written, in order; the first may have been written in part and is then its rest. */
    private final ArrayDeque<ByteString> outbound = new ArrayDeque<>();
    private final AtomicBoolean egressScheduled = new AtomicBoolean();
    private final Runnable egressWakeUp = this::scheduleEgress;
    private final Runnable resumeReading = this::resumeReading;
    private SelectionKey key;
    private Listener listener;
    private Egress egress;
    private boolean wantRead;
    private boolean flushPending;
    private boolean closeWhenFlushed;
    private long closeRequestedNanos;
    private boolean closed;
    private Throwable closeCause;

    /** @param onClosed called once, on the loop, when the connection is closed (the listener's count) */
    TcpConnection(SocketChannel channel, EventLoop loop, InetSocketAddress remoteAddress, Runnable onClosed) {
        this.channel = channel;
        this.loop = loop;
        this.remoteAddress = remoteAddress;
        this.onClosed = onClosed;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Called by the listener that accepted it, on the loop, before anyone else may use the connection. */
    void register() {
        try {
            key = channel.register(loop.selector(), 0, this);
        } catch (IOException e) {
            log.warn("net {}: connection could not be registered: {}", remoteAddress, e.toString());
            closeNow(e);
        }
    }

    /** Connects the protocol stage; a connection that closed before is reported closed at once. */
    public void attach(Listener newListener) {
        loop.execute(() -> {
            listener = newListener;
            if (closed) {
                newListener.closed(closeCause);
            }
        });
    }

    /** Lets one more read through to the listener. */
    public void requestRead() {
        loop.execute(resumeReading);
    }

    /** Queues bytes behind everything queued before; the listener hears {@code flushed()} once all are written. */
    public void send(ByteString bytes) {
        loop.execute(() -> {
            if (closed) {
                return;
            }
            enqueue(bytes);
            flushPending = true;
            flush();
        });
    }

    /** From now on the socket also carries what {@code playerEgress} has queued, after what was sent before. */
    public void startEgress(Egress playerEgress) {
        loop.execute(() -> {
            if (closed) {
                playerEgress.closed();
                return;
            }
            egress = playerEgress;
            flush();
        });
    }

    /** The clock of this connection's event loop, for its egress (on the loop's thread). */
    public LoopClock clock() {
        return loop.clock();
    }

    /** What the player's queue calls when frames arrive for a waiting player: schedules one egress poll. */
    public Runnable egressWakeUp() {
        return egressWakeUp;
    }

    /** Closes once everything queued is written. */
    public void closeWhenFlushed() {
        loop.execute(() -> {
            if (!closeWhenFlushed) {
                closeWhenFlushed = true;
                closeRequestedNanos = System.nanoTime();
            }
            flush();
        });
    }

    /** Closes now with a reset, dropping what is queued: for peers that stopped reading or broke the protocol. */
    public void abort() {
        loop.execute(this::reset);
    }

    private void reset() {
        if (!closed) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                log.debug("net {}: no linger option for the reset: {}", remoteAddress, e.toString());
            }
            closeNow(null);
        }
    }

    @Override
    public void onTick(long nowNanos) {
        if (closeWhenFlushed && !closed && nowNanos - closeRequestedNanos > CLOSE_LINGER_NANOS) {
            log.info("net {}: the peer did not take the last {} buffers within {} s of closing, resetting",
                    remoteAddress, outbound.size(), CLOSE_LINGER_NANOS / 1_000_000_000L);
            reset();
        }
    }

    @Override
    public void onSelected(SelectionKey selected) {
        if (!selected.isValid()) {
            return;
        }
        if (selected.isWritable()) {
            flush();
        }
        if (!closed && selected.isValid() && selected.isReadable()) {
            read();
        }
    }

    @Override
    public void onLoopStopped() {
        closeNow(null);
    }

    private void scheduleEgress() {
        if (egressScheduled.compareAndSet(false, true)) {
            loop.ready(this);
        }
    }

    /** The loop's answer to {@link #egressWakeUp()}. */
    @Override
    public void writeReady() {
        egressScheduled.set(false);
        if (closed || egress == null) {
            return;
        }
        if (!outbound.isEmpty()) {
            // The socket is still busy: its OP_WRITE will poll the egress; only a forced end matters now.
            pollEgress(true);
            return;
        }
        flush();
    }

    @Override
    public void writeFailed(RuntimeException cause) {
        reset();
    }

    /** The egress's next bytes; an egress that fails is this connection's problem only: it is reset. */
    private ByteString pollEgress(boolean socketBusy) {
        try {
            return egress.poll(socketBusy);
        } catch (RuntimeException e) {
            log.error("net {}: the viewer's egress failed, resetting the connection", remoteAddress, e);
            reset();
            return null;
        }
    }

    private void resumeReading() {
        if (!closed) {
            wantRead = true;
            updateInterest();
        }
    }

    private void read() {
        ByteBuffer buffer = loop.readBuffer();
        buffer.clear();
        int count;
        try {
            count = channel.read(buffer);
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        if (count < 0) {
            wantRead = false;
            updateInterest();
            if (listener != null) {
                listener.peerClosed();
            }
            return;
        }
        if (count == 0) {
            return;
        }
        buffer.flip();
        wantRead = false;
        updateInterest();
        listener.received(ByteString.fromByteBuffer(buffer));
    }

    private void enqueue(ByteString bytes) {
        if (!bytes.isEmpty()) {
            outbound.add(bytes);
        }
    }

    /** Writes until the socket is full or nothing is left, taking more from the egress each time it empties. */
    private void flush() {
        while (!closed) {
            if (!outbound.isEmpty() && !writeOutbound()) {
                updateInterest();
                return;
            }
            if (egress == null || closeWhenFlushed) {
                break;
            }
            ByteString more = pollEgress(false);
            if (more == null) {
                break;
            }
            enqueue(more);
        }
        if (closed) {
            return;
        }
        updateInterest();
        if (flushPending && listener != null) {
            flushPending = false;
            listener.flushed();
        }
        if (closeWhenFlushed) {
            closeNow(null);
        }
    }

    /**
     * Writes the queued bytes until the socket is full, each write staged in the loop's direct buffer; true when all
     * of them were written. A frame's tag headers and bodies are separate pieces of heap memory: handed to the JDK as
     * a gathering write, each piece would get a temporary direct buffer (a search of a per-thread cache) and a copy,
     * which cost more than this one copy.
     */
    private boolean writeOutbound() {
        ByteBuffer staged = loop.writeBuffer();
        while (!outbound.isEmpty()) {
            staged.clear();
            for (ByteString bytes : outbound) {
                bytes.copyToBuffer(staged);
                if (!staged.hasRemaining()) {
                    break;
                }
            }
            staged.flip();
            int offered = staged.remaining();
            int written;
            loop.clock().step();
            try {
                written = channel.write(staged);
            } catch (IOException e) {
                closeNow(e);
                return false;
            }
            consume(written);
            if (written < offered) {
                return false;
            }
        }
        return true;
    }

    /** Takes {@code count} written bytes off the front of the queue. */
    private void consume(int count) {
        int left = count;
        while (left > 0) {
            ByteString first = outbound.pollFirst();
            if (first.length() > left) {
                outbound.addFirst(first.drop(left));
                return;
            }
            left -= first.length();
        }
    }

    private void updateInterest() {
        if (closed || key == null || !key.isValid()) {
            return;
        }
        int ops = (wantRead ? SelectionKey.OP_READ : 0) | (outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void closeNow(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        closeCause = cause;
        if (egress != null) {
            egress.closed();
            egress = null;
        }
        outbound.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("net {}: close failed: {}", remoteAddress, e.toString());
        }
        onClosed.run();
        if (listener != null) {
            listener.closed(cause);
        }
    }
}
