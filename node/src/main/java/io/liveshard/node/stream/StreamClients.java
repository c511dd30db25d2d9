package io.liveshard.node.stream;

import io.liveshard.protocol.media.StreamKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publishers and viewers connected to this node, for the management API: who watches a stream over what, and
 * a way to end any one of them (a kick), plus streams an operator has forbidden (no publishing, no watching) until a
 * time or until resumed. HLS clients are stateless requests and are not listed.
 */
public final class StreamClients {

    /** One connected client. {@code id} is unique on this node and is what the API kicks by. */
    public record Client(String id, StreamKey stream, String role, String protocol, String description,
                         long sinceMillis) {}

    private record Entry(Client client, Runnable kick) {}

    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<String, Entry> clients = new ConcurrentHashMap<>();
    private final Map<StreamKey, Long> forbiddenUntil = new ConcurrentHashMap<>();

    /** Adds a client; {@code kick} ends its connection. Returns its id, for {@link #remove}. */
    String add(StreamKey stream, String role, String protocol, String description, Runnable kick) {
        String id = Long.toString(nextId.getAndIncrement());
        clients.put(id, new Entry(new Client(id, stream, role, protocol, description, System.currentTimeMillis()),
                kick));
        return id;
    }

    void remove(String id) {
        if (id != null) {
            clients.remove(id);
        }
    }

    /** How many clients with this role (and, if not null, of this stream) are connected, leaving out outputs. */
    int count(String role, StreamKey stream, java.util.Set<String> outputs) {
        int count = 0;
        for (Entry entry : clients.values()) {
            Client client = entry.client();
            if (client.role().equals(role) && (stream == null || client.stream().equals(stream))
                    && !outputs.contains(client.protocol())) {
                count++;
            }
        }
        return count;
    }

    /** The clients of {@code stream}, publisher first. */
    public List<Client> of(StreamKey stream) {
        return clients.values().stream().map(Entry::client).filter(c -> c.stream().equals(stream))
                .sorted(Comparator.comparing((Client c) -> !c.role().equals("publisher"))
                        .thenComparing(c -> Long.parseLong(c.id())))
                .toList();
    }

    /** Ends the client's connection; empty when no such client is connected here. */
    public Optional<Client> kick(String id) {
        Entry entry = clients.remove(id);
        if (entry == null) {
            return Optional.empty();
        }
        entry.kick().run();
        return Optional.of(entry.client());
    }

    /**
     * Forbids the stream until {@code untilMillis} (Unix time; {@link Long#MAX_VALUE} until resumed) and kicks its
     * publisher and viewers here. Returns how many were kicked.
     */
    public int forbid(StreamKey stream, long untilMillis) {
        forbiddenUntil.put(stream, untilMillis);
        int kicked = 0;
        for (Client client : of(stream)) {
            if (kick(client.id()).isPresent()) {
                kicked++;
            }
        }
        return kicked;
    }

    /** Lifts a forbid; false when the stream was not forbidden. */
    public boolean resume(StreamKey stream) {
        return forbiddenUntil.remove(stream) != null;
    }

    /** Until when the stream is forbidden, if it is now. */
    public Optional<Long> forbiddenUntil(StreamKey stream) {
        Long until = forbiddenUntil.get(stream);
        if (until == null) {
            return Optional.empty();
        }
        if (until <= System.currentTimeMillis()) {
            forbiddenUntil.remove(stream, until);
            return Optional.empty();
        }
        return Optional.of(until);
    }

    /** The streams forbidden now, with until when. */
    public Map<StreamKey, Long> forbidden() {
        forbiddenUntil.keySet().forEach(this::forbiddenUntil);
        return Map.copyOf(forbiddenUntil);
    }
}
