package io.liveshard.node.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One thread with one selector serving many viewers, so that hundreds of viewers cost the tool a thread or two,
 * not hundreds. It runs until {@link #stop} or its hard deadline, then closes every connection it owns.
 */
final class SelectorLoop implements Runnable {

    private record Pending(ViewerConnection viewer, InetSocketAddress address) {
    }

    private final Selector selector;
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final List<ViewerConnection> viewers = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] readArray = new byte[64 * 1024];
    private final long hardDeadlineNanos;
    private final Thread thread;
    private volatile boolean stopping;

    SelectorLoop(String name, long hardDeadlineNanos) throws IOException {
        this.selector = Selector.open();
        this.hardDeadlineNanos = hardDeadlineNanos;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Hands a viewer to this loop, which connects it. */
    void connect(ViewerConnection viewer, InetSocketAddress address) {
        pending.add(new Pending(viewer, address));
        selector.wakeup();
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Waits for the loop to close its connections and end. */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    @Override
    public void run() {
        try {
            while (!stopping && System.nanoTime() < hardDeadlineNanos) {
                selector.select(100);
                registerPending();
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            System.err.println(thread.getName() + ": selector failed: " + e);
        } finally {
            for (ViewerConnection viewer : viewers) {
                viewer.markClosed();
                closeQuietly(viewer.channel);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // Nothing left to do with it.
            }
        }
    }

    private void registerPending() {
        Pending next;
        while ((next = pending.poll()) != null) {
            ViewerConnection viewer = next.viewer();
            viewers.add(viewer);
            try {
                SocketChannel channel = SocketChannel.open();
                viewer.channel = channel;
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                if (channel.connect(next.address())) {
                    viewer.onConnected();
                    channel.register(selector, interest(viewer), viewer);
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, viewer);
                }
            } catch (IOException e) {
                viewer.fail("connect: " + e.getMessage());
                closeQuietly(viewer.channel);
            }
        }
    }

    private void handle(SelectionKey key) {
        ViewerConnection viewer = (ViewerConnection) key.attachment();
        try {
            if (key.isConnectable()) {
                ((SocketChannel) key.channel()).finishConnect();
                viewer.onConnected();
            }
            if (key.isValid() && key.isReadable()) {
                read(viewer);
            }
            if (!viewer.isClosed() && key.isValid() && (key.isWritable() || viewer.hasOutgoing())) {
                viewer.flush();
            }
            if (viewer.isClosed()) {
                key.cancel();
                closeQuietly(viewer.channel);
            } else if (key.isValid()) {
                key.interestOps(interest(viewer));
            }
        } catch (IOException e) {
            viewer.fail(e.getMessage() == null ? e.toString() : e.getMessage());
            key.cancel();
            closeQuietly(viewer.channel);
        }
    }

    private void read(ViewerConnection viewer) throws IOException {
        readBuffer.clear();
        int n = viewer.channel.read(readBuffer);
        if (n < 0) {
            viewer.fail("the node closed the connection");
            return;
        }
        if (n == 0) {
            return;
        }
        long now = System.nanoTime();
        readBuffer.flip();
        readBuffer.get(readArray, 0, n);
        viewer.onBytes(ByteBuffer.wrap(readArray, 0, n), now);
    }

    private static int interest(ViewerConnection viewer) {
        return SelectionKey.OP_READ | (viewer.hasOutgoing() ? SelectionKey.OP_WRITE : 0);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort at this point.
        }
    }
}
