package io.liveshard.node.stream;

/**
 * Ends a viewer's egress stream when the {@link SlowConsumerPolicy} gave up on it. Failing the stream (rather than
 * completing it) aborts the connection at once: a clean close would wait for a socket the viewer no longer reads.
 */
public final class SlowConsumerException extends RuntimeException {

    public SlowConsumerException(String subscriberId, long framesDropped) {
        super("slow consumer " + subscriberId + " disconnected after dropping " + framesDropped + " frames");
    }
}
