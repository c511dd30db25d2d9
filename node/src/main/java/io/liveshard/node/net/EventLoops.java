package io.liveshard.node.net;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's socket threads: one {@link EventLoop} per core by default, connections spread over them round robin.
 * They do only non-blocking socket work and the encoding of frames for the wire, so a thread per core is enough.
 */
public final class EventLoops implements AutoCloseable {

    private final List<EventLoop> loops;
    private final AtomicInteger next = new AtomicInteger();

    private EventLoops(List<EventLoop> loops) {
        this.loops = loops;
    }

    /**
     * @param threads     how many loops; 0 means one per available processor
     * @param mergeWindow how long viewers' frames may wait to share a write; zero writes each wake-up at once
     */
    public static EventLoops start(String name, int threads, Duration mergeWindow) throws IOException {
        int count = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        List<EventLoop> loops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            loops.add(new EventLoop(name + "-" + i, mergeWindow));
        }
        loops.forEach(EventLoop::start);
        return new EventLoops(List.copyOf(loops));
    }

    public int size() {
        return loops.size();
    }

    /** The loop for the next connection or session, round robin. */
    EventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    public List<EventLoop> all() {
        return loops;
    }

    /** Stops every loop; their connections are closed. */
    @Override
    public void close() {
        loops.forEach(EventLoop::shutdown);
    }
}
