package io.liveshard.node.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread with one {@link Selector}: it owns the sockets registered with it and does all of their reads and
 * writes. Other threads hand it work in two ways: {@link #execute} for occasional tasks (a control message to send,
 * a read to resume), and {@link #ready} for the hot path, a connection whose viewer has new frames. The latter
 * allocates nothing: the connection goes into a list that the loop swaps out and walks, so a frame fanned out to
 * a thousand viewers costs a thousand list additions and at most one selector wake-up per loop.
 *
 * <p>With a write-merge window, the loop walks that list at most once per window instead of at once: every viewer's
 * frames of the window go out in one write, which saves CPU (a write per frame is most of a viewer's cost) and adds
 * up to one window of latency.
 */
final class EventLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    /** One read buffer per loop: reads are copied out of it before the next one. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    /** The longest select: the loop's once-a-second tick (closing timeouts, accept back-off) needs no other timer. */
    private static final long SELECT_TIMEOUT_MILLIS = 1000;
    private static final long TICK_NANOS = 1_000_000_000L;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Object readyLock = new Object();
    private List<TcpConnection> ready = new ArrayList<>();
    private List<TcpConnection> draining = new ArrayList<>();
    /** True while the loop is (about to be) blocked in select: only then does new work need a wake-up. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private volatile boolean running = true;

    /** 0: write at once. */
    private final long mergeWindowNanos;
    private long nextDrainNanos;
    private long nextTickNanos = System.nanoTime() + TICK_NANOS;

    EventLoop(String name, Duration mergeWindow) throws IOException {
        this.mergeWindowNanos = mergeWindow.toNanos();
        this.selector = Selector.open();
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, soon; from the loop thread itself, after the current step. */
    void execute(Runnable task) {
        tasks.add(task);
        wake();
    }

    /** Asks the loop to let {@code connection} write what its egress has queued; called once per wake-up. */
    void ready(TcpConnection connection) {
        boolean first;
        synchronized (readyLock) {
            first = ready.isEmpty();
            ready.add(connection);
        }
        // Within a merge window only the first connection matters: it makes the sleeping loop set its timer.
        if (mergeWindowNanos == 0 || first) {
            wake();
        }
    }

    void shutdown() {
        running = false;
        selector.wakeup();
    }

    private void wake() {
        if (!inLoop() && sleeping.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    @Override
    public void run() {
        try {
            loop();
        } finally {
            closeAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                sleeping.set(true);
                long timeoutMillis = selectTimeoutMillis();
                if (timeoutMillis == 0) {
                    sleeping.set(false);
                    selector.selectNow();
                } else {
                    selector.select(timeoutMillis);
                    sleeping.set(false);
                }
                handleSelected();
                runTasks();
                drainReady();
                tick();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // One connection's bug must not stop every other connection of this loop.
                log.error("net: event loop {} step failed", thread.getName(), e);
            }
        }
    }

    /** Once a second: lets every socket of the loop check its deadlines. */
    private void tick() {
        long now = System.nanoTime();
        if (now - nextTickNanos < 0) {
            return;
        }
        nextTickNanos = now + TICK_NANOS;
        for (SelectionKey key : selector.keys()) {
            if (key.isValid() && key.attachment() instanceof SelectableHandler handler) {
                handler.onTick(now);
            }
        }
    }

    /** 0 when there is work now; else how long select may sleep. */
    private long selectTimeoutMillis() {
        if (!tasks.isEmpty()) {
            return 0;
        }
        boolean anyReady;
        synchronized (readyLock) {
            anyReady = !ready.isEmpty();
        }
        if (!anyReady) {
            return SELECT_TIMEOUT_MILLIS;
        }
        long untilDrain = nextDrainNanos - System.nanoTime();
        return untilDrain <= 0 ? 0 : Math.max(1, (untilDrain + 999_999) / 1_000_000);
    }

    private void handleSelected() {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (key.attachment() instanceof SelectableHandler handler) {
                handler.onSelected(key);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        int budget = tasks.size();
        while (budget-- > 0 && (task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("net: task on {} failed", thread.getName(), e);
            }
        }
    }

    private void drainReady() {
        if (mergeWindowNanos > 0) {
            long now = System.nanoTime();
            if (now - nextDrainNanos < 0) {
                return;
            }
            nextDrainNanos = now + mergeWindowNanos;
        }
        synchronized (readyLock) {
            List<TcpConnection> swap = ready;
            ready = draining;
            draining = swap;
        }
        try {
            for (TcpConnection connection : draining) {
                connection.writeEgress();
            }
        } finally {
            draining.clear();
        }
    }

    private void closeAll() {
        if (!selector.isOpen()) {
            return;
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof SelectableHandler handler) {
                try {
                    handler.onLoopStopped();
                } catch (RuntimeException e) {
                    log.warn("net: closing a connection of {} failed: {}", thread.getName(), e.toString());
                }
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("net: selector of {} did not close: {}", thread.getName(), e.toString());
        }
    }

    /** What a selection key of this loop is attached to. */
    interface SelectableHandler {
        void onSelected(SelectionKey key);

        /** About once a second, with {@link System#nanoTime()}. */
        void onTick(long nowNanos);

        void onLoopStopped();
    }
}
