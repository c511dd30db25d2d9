package io.liveshard.node.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening TCP port whose accepted connections go to the {@link EventLoops}, round robin. The accepting runs on
 * one loop; {@code onAccept} is called there and must only start the connection's work, never block. Beyond its
 * maximum of open connections, a new one is reset at once; when accepting fails (out of file descriptors, typically)
 * the port stops accepting for a second instead of spinning on a backlog it cannot take.
 */
public final class TcpListener implements EventLoop.SelectableHandler {

    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    /** Room for a burst of viewers arriving at once (a load test, a link shared in a chat). */
    private static final int BACKLOG = 1024;
    private static final long ACCEPT_PAUSE_NANOS = 1_000_000_000L;

    private final ServerSocketChannel server;
    private final EventLoop acceptLoop;
    private final EventLoops loops;
    private final Consumer<TcpConnection> onAccept;
    private final InetSocketAddress localAddress;
    private final int maxConnections;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Runnable connectionClosed = openConnections::decrementAndGet;
    private SelectionKey acceptKey;
    private long acceptPausedUntilNanos;
    private long refusedSinceLog;

    private TcpListener(ServerSocketChannel server, EventLoops loops, int maxConnections,
                        Consumer<TcpConnection> onAccept) throws IOException {
        this.server = server;
        this.loops = loops;
        this.maxConnections = maxConnections;
        this.onAccept = onAccept;
        this.acceptLoop = loops.next();
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
    }

    /**
     * Binds {@code address} (fails at once when the port is taken) and starts accepting.
     *
     * @param maxConnections open connections at most; 0 for no limit
     */
    public static CompletionStage<TcpListener> bind(EventLoops loops, InetSocketAddress address, int maxConnections,
                                                    Consumer<TcpConnection> onAccept) {
        CompletableFuture<TcpListener> bound = new CompletableFuture<>();
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.configureBlocking(false);
            server.bind(address, BACKLOG);
            TcpListener listener = new TcpListener(server, loops, maxConnections, onAccept);
            listener.acceptLoop.execute(() -> {
                try {
                    listener.acceptKey = server.register(listener.acceptLoop.selector(), SelectionKey.OP_ACCEPT,
                            listener);
                    bound.complete(listener);
                } catch (IOException e) {
                    bound.completeExceptionally(e);
                }
            });
        } catch (IOException e) {
            bound.completeExceptionally(new IOException("cannot listen on " + address + ": " + e.getMessage(), e));
        }
        return bound;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Stops accepting; connections already accepted go on. */
    public CompletionStage<Void> unbind() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        acceptLoop.execute(() -> {
            closeServer();
            done.complete(null);
        });
        return done;
    }

    @Override
    public void onSelected(SelectionKey key) {
        while (key.isValid()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                // Out of file descriptors, typically: the backlog stays readable, so pause instead of spinning.
                log.warn("net: accept on {} failed, pausing for a second: {}", localAddress, e.toString());
                acceptPausedUntilNanos = System.nanoTime() + ACCEPT_PAUSE_NANOS;
                key.interestOps(0);
                return;
            }
            if (channel == null) {
                return;
            }
            if (maxConnections > 0 && openConnections.get() >= maxConnections) {
                refuse(channel);
                continue;
            }
            start(channel);
        }
    }

    @Override
    public void onTick(long nowNanos) {
        if (acceptKey != null && acceptKey.isValid() && acceptKey.interestOps() == 0
                && nowNanos - acceptPausedUntilNanos >= 0) {
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        if (refusedSinceLog > 0) {
            log.warn("net: {} connections to {} refused in the last seconds: {} open, the maximum",
                    refusedSinceLog, localAddress, maxConnections);
            refusedSinceLog = 0;
        }
    }

    /** Over the maximum: reset at once; one log line a second says how many. */
    private void refuse(SocketChannel channel) {
        refusedSinceLog++;
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.close();
        } catch (IOException e) {
            log.debug("net: refused connection already gone: {}", e.toString());
        }
    }

    private void start(SocketChannel channel) {
        EventLoop loop = loops.next();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            openConnections.incrementAndGet();
            TcpConnection connection = new TcpConnection(channel, loop, remote, connectionClosed);
            loop.execute(connection::register);
            onAccept.accept(connection);
        } catch (IOException e) {
            log.debug("net: connection closed while it was accepted: {}", e.toString());
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void onLoopStopped() {
        closeServer();
    }

    private void closeServer() {
        try {
            server.close();
        } catch (IOException e) {
            log.debug("net: closing {} failed: {}", localAddress, e.toString());
        }
    }
}
