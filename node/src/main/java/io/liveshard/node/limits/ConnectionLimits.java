package io.liveshard.node.limits;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections per client address: how many are open at once and how fast new ones come (a token bucket per
 * address). Addresses with nothing open are forgotten once their bucket is full again, so the table holds only
 * recent clients.
 */
public final class ConnectionLimits {

    private static final class Address {
        int open;
        double tokens;
        long refilledNanos;
    }

    private final int maxOpen;
    private final int perSecond;
    private final double burst;
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();

    public ConnectionLimits(LimitSettings settings) {
        this.maxOpen = settings.maxPerIp();
        this.perSecond = settings.newPerIpPerSecond();
        this.burst = Math.max(1, 2.0 * perSecond);
    }

    /** Counts a new connection from {@code ip}, or says why it is refused (then nothing is counted). */
    public Optional<String> tryOpen(String ip) {
        if (maxOpen <= 0 && perSecond <= 0) {
            return Optional.empty();
        }
        String[] refusal = new String[1];
        addresses.compute(ip, (key, state) -> {
            Address address = state != null ? state : fresh();
            refill(address);
            if (maxOpen > 0 && address.open >= maxOpen) {
                refusal[0] = "too many connections from " + ip + " (limit " + maxOpen + ")";
            } else if (perSecond > 0 && address.tokens < 1) {
                refusal[0] = "too many new connections from " + ip + " (limit " + perSecond + " a second)";
            } else {
                address.open++;
                address.tokens -= perSecond > 0 ? 1 : 0;
            }
            return address;
        });
        return Optional.ofNullable(refusal[0]);
    }

    /** A connection counted by {@link #tryOpen} closed. */
    public void close(String ip) {
        if (maxOpen <= 0 && perSecond <= 0) {
            return;
        }
        addresses.computeIfPresent(ip, (key, address) -> {
            address.open = Math.max(0, address.open - 1);
            refill(address);
            return address.open == 0 && address.tokens >= burst ? null : address;
        });
    }

    /** Forgets addresses with nothing open and a full bucket; called now and then. */
    public void sweep() {
        addresses.keySet().forEach(ip -> addresses.computeIfPresent(ip, (key, address) -> {
            refill(address);
            return address.open == 0 && address.tokens >= burst ? null : address;
        }));
    }

    int tracked() {
        return addresses.size();
    }

    private Address fresh() {
        Address address = new Address();
        address.tokens = burst;
        address.refilledNanos = System.nanoTime();
        return address;
    }

    private void refill(Address address) {
        long now = System.nanoTime();
        if (perSecond > 0) {
            address.tokens = Math.min(burst, address.tokens + (now - address.refilledNanos) / 1e9 * perSecond);
        } else {
            address.tokens = burst;
        }
        address.refilledNanos = now;
    }
}
