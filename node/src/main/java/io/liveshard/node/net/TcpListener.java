package io.liveshard.node.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening TCP port whose accepted connections go to the {@link EventLoops}, round robin. The accepting runs on
 * one loop; {@code onAccept} is called there and must only start the connection's work, never block.
 */
public final class TcpListener implements EventLoop.SelectableHandler {

    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    /** Room for a burst of viewers arriving at once (a load test, a link shared in a chat). */
    private static final int BACKLOG = 1024;

    private final ServerSocketChannel server;
    private final EventLoop acceptLoop;
    private final EventLoops loops;
    private final Consumer<TcpConnection> onAccept;
    private final InetSocketAddress localAddress;

    private TcpListener(ServerSocketChannel server, EventLoops loops, Consumer<TcpConnection> onAccept)
            throws IOException {
        this.server = server;
        this.loops = loops;
        this.onAccept = onAccept;
        this.acceptLoop = loops.next();
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
    }

    /** Binds {@code address} (fails at once when the port is taken) and starts accepting. */
    public static CompletionStage<TcpListener> bind(EventLoops loops, InetSocketAddress address,
                                                    Consumer<TcpConnection> onAccept) {
        CompletableFuture<TcpListener> bound = new CompletableFuture<>();
        try {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.configureBlocking(false);
            server.bind(address, BACKLOG);
            TcpListener listener = new TcpListener(server, loops, onAccept);
            listener.acceptLoop.execute(() -> {
                try {
                    server.register(listener.acceptLoop.selector(), SelectionKey.OP_ACCEPT, listener);
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
                // Out of file descriptors, typically: refuse this round, keep the port.
                log.warn("net: accept on {} failed: {}", localAddress, e.toString());
                return;
            }
            if (channel == null) {
                return;
            }
            start(channel);
        }
    }

    private void start(SocketChannel channel) {
        EventLoop loop = loops.next();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            TcpConnection connection = new TcpConnection(channel, loop, remote);
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
