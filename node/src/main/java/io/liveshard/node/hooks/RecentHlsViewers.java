package io.liveshard.node.hooks;

import java.util.concurrent.ConcurrentHashMap;

/**
 * HLS and LL-HLS clients (address + user agent, per stream) whose play a hook allowed recently. HLS has no
 * connection whose start is a play: a playlist request from a client not seen within the window is one.
 */
final class RecentHlsViewers {

    private final long windowNanos;
    private final int maxViewers;
    private final ConcurrentHashMap<String, Long> lastSeen = new ConcurrentHashMap<>();

    RecentHlsViewers(long windowNanos, int maxViewers) {
        this.windowNanos = windowNanos;
        this.maxViewers = maxViewers;
    }

    /** Whether {@code viewer} was allowed within the window; if so, its window starts again at {@code nowNanos}. */
    boolean refresh(String viewer, long nowNanos) {
        Long last = lastSeen.get(viewer);
        if (last == null || nowNanos - last >= windowNanos) {
            return false;
        }
        lastSeen.put(viewer, nowNanos);
        return true;
    }

    /** Remembers an allowed viewer; when full, forgets expired ones first, and remembers nothing while still full. */
    void allowed(String viewer, long nowNanos) {
        if (lastSeen.size() >= maxViewers) {
            lastSeen.values().removeIf(last -> nowNanos - last >= windowNanos);
        }
        if (lastSeen.size() < maxViewers) {
            lastSeen.put(viewer, nowNanos);
        }
    }

    int size() {
        return lastSeen.size();
    }
}
