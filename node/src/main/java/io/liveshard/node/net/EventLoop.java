package io.liveshard.node.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
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
 * up to one window of latency. Writers that gain nothing from merging (a UDP viewer sends one datagram per packet
 * whatever the timing) use {@link #readyNow}, which ignores the window.
 */
public final class EventLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    /** One read buffer per loop: reads are copied out of it before the next one. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    /** One staging buffer per loop for its connections' writes (why: {@link TcpConnection}'s writeOutbound). */
    private static final int WRITE_BUFFER_BYTES = 256 * 1024;
    /** The longest select: the loop's once-a-second tick (closing timeouts, accept back-off) needs no other timer. */
    private static final long SELECT_TIMEOUT_MILLIS = 1000;
    private static final long TICK_NANOS = 1_000_000_000L;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Object readyLock = new Object();
    private List<Writer> ready = new ArrayList<>();
    private List<Writer> draining = new ArrayList<>();
    private List<Writer> readyNow = new ArrayList<>();
    private List<Writer> drainingNow = new ArrayList<>();
    /** Timers of the loop's own sockets; touched only by the loop thread. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            Comparator.comparingLong(Timer::dueNanos).thenComparingLong(Timer::order));
    private long timerOrder;
    /** True while the loop is (about to be) blocked in select: only then does new work need a wake-up. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final LoopClock clock = new LoopClock();
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

    /** Where a connection stages the bytes of one write; the loop's thread only, empty between writes. */
    ByteBuffer writeBuffer() {
        return writeBuffer;
    }

    /** The loop's clock, for the loop's thread only. */
    public LoopClock clock() {
        return clock;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, soon; from the loop thread itself, after the current step. */
    public void execute(Runnable task) {
        tasks.add(task);
        wake();
    }

    /** Asks the loop to let {@code writer} write what it has queued, within the merge window; once per wake-up. */
    void ready(Writer writer) {
        boolean first;
        synchronized (readyLock) {
            first = ready.isEmpty();
            ready.add(writer);
        }
        // Within a merge window only the first writer matters: it makes the sleeping loop set its timer.
        if (mergeWindowNanos == 0 || first) {
            wake();
        }
    }

    /** Like {@link #ready}, but written on the loop's next turn whatever the merge window. */
    public void readyNow(Writer writer) {
        synchronized (readyLock) {
            readyNow.add(writer);
        }
        wake();
    }

    /** Runs {@code task} on the loop thread after {@code delayNanos}; call it from the loop thread only. */
    public void schedule(long delayNanos, Runnable task) {
        timers.add(new Timer(System.nanoTime() + delayNanos, timerOrder++, task));
    }

    /** Registers a channel of this loop with {@code handler} as its key's attachment; from the loop thread. */
    public SelectionKey register(SelectableChannel channel, int ops, SelectableHandler handler)
            throws ClosedChannelException {
        return channel.register(selector, ops, handler);
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
                clock.expire();
                handleSelected();
                runTasks();
                runTimers();
                drainReadyNow();
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
        long now = clock.nanos();
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
            if (!readyNow.isEmpty()) {
                return 0;
            }
            anyReady = !ready.isEmpty();
        }
        long now = System.nanoTime();
        long sleepNanos = anyReady ? nextDrainNanos - now : SELECT_TIMEOUT_MILLIS * 1_000_000L;
        Timer first = timers.peek();
        if (first != null) {
            sleepNanos = Math.min(sleepNanos, first.dueNanos() - now);
        }
        return sleepNanos <= 0 ? 0 : Math.max(1, (sleepNanos + 999_999) / 1_000_000);
    }

    private void runTimers() {
        // The loop's reading: a timer may run a few steps late, never early.
        long now = clock.nanos();
        Timer timer;
        while ((timer = timers.peek()) != null && timer.dueNanos() - now <= 0) {
            timers.poll();
            try {
                clock.step();
                timer.task().run();
            } catch (RuntimeException e) {
                log.error("net: timer on {} failed", thread.getName(), e);
            }
        }
    }

    private void handleSelected() {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (key.attachment() instanceof SelectableHandler handler) {
                clock.step();
                handler.onSelected(key);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        int budget = tasks.size();
        while (budget-- > 0 && (task = tasks.poll()) != null) {
            try {
                clock.step();
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
            List<Writer> swap = ready;
            ready = draining;
            draining = swap;
        }
        writeAll(draining);
    }

    private void drainReadyNow() {
        synchronized (readyLock) {
            if (readyNow.isEmpty()) {
                return;
            }
            List<Writer> swap = readyNow;
            readyNow = drainingNow;
            drainingNow = swap;
        }
        writeAll(drainingNow);
    }

    /**
     * Lets every writer of a swapped-out ready list write, then empties the list for its next swap. A writer that
     * throws is ended, and the writers after it still write: each was taken off the list's schedule when it was
     * added, and one left out here would never be scheduled again.
     */
    private void writeAll(List<Writer> writers) {
        try {
            for (Writer writer : writers) {
                clock.step();
                try {
                    writer.writeReady();
                } catch (RuntimeException e) {
                    log.error("net: a writer on {} failed, ending it", thread.getName(), e);
                    endFailed(writer, e);
                }
            }
        } finally {
            writers.clear();
        }
    }

    private void endFailed(Writer writer, RuntimeException cause) {
        try {
            writer.writeFailed(cause);
        } catch (RuntimeException e) {
            log.error("net: a failed writer on {} did not end cleanly", thread.getName(), e);
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

    /** Something with queued output that the loop lets write, on its thread, after {@link #ready}. */
    public interface Writer {
        void writeReady();

        /** {@link #writeReady} threw: the writer's state is unknown, so it ends itself (closes its socket). */
        void writeFailed(RuntimeException cause);
    }

    /** What a selection key of this loop is attached to. */
    public interface SelectableHandler {
        void onSelected(SelectionKey key);

        /** About once a second, with {@link System#nanoTime()}. */
        void onTick(long nowNanos);

        void onLoopStopped();
    }

    private record Timer(long dueNanos, long order, Runnable task) {
    }
}
