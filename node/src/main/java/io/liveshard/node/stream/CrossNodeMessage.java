package io.liveshard.node.stream;

/**
 * Marks the messages that may travel between nodes: they are serialized with Jackson (CBOR), bound in
 * {@code config/liveshard.conf} ({@code pekko.actor.serialization-bindings}). Everything else stays node-local and
 * may carry in-memory references (queues, the fan-out).
 */
public interface CrossNodeMessage {
}
