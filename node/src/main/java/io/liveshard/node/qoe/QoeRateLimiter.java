package io.liveshard.node.qoe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address, so that one client cannot flood the QoE endpoint. The number of tracked
 * addresses is bounded: when it is full, new addresses are refused until {@link #sweep} forgets idle ones (a bucket
 * that has refilled completely carries no information).
 */
public final class QoeRateLimiter {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double tokensPerNano;
    private final int burst;
    private final int maxClients;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public QoeRateLimiter(double perSecond, int burst, int maxClients) {
        if (perSecond <= 0 || burst < 1 || maxClients < 1) {
            throw new IllegalArgumentException("qoe rate limit needs a positive rate, burst and client count");
        }
        this.tokensPerNano = perSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.maxClients = maxClients;
    }

    /** Takes one token for {@code client}; false when its bucket is empty or too many clients are tracked. */
    public boolean tryAcquire(String client, long nowNanos) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            if (buckets.size() >= maxClients) {
                return false;
            }
            bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, nowNanos));
        }
        return bucket.take(nowNanos, tokensPerNano, burst);
    }

    /** Forgets clients whose bucket has refilled. */
    public void sweep(long nowNanos) {
        buckets.values().removeIf(bucket -> bucket.full(nowNanos, tokensPerNano, burst));
    }

    int trackedClients() {
        return buckets.size();
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.updatedNanos = nowNanos;
        }

        synchronized boolean take(long nowNanos, double tokensPerNano, int burst) {
            refill(nowNanos, tokensPerNano, burst);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean full(long nowNanos, double tokensPerNano, int burst) {
            refill(nowNanos, tokensPerNano, burst);
            return tokens >= burst;
        }

        private void refill(long nowNanos, double tokensPerNano, int burst) {
            tokens = Math.min(burst, tokens + Math.max(0, nowNanos - updatedNanos) * tokensPerNano);
            updatedNanos = Math.max(updatedNanos, nowNanos);
        }
    }
}
