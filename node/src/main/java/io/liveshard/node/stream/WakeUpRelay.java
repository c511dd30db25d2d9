package io.liveshard.node.stream;

/**
 * The wake-up a {@link SubscriberQueue} calls, forwarded to whoever consumes the queue once it exists. A queue is
 * attached (and may receive frames) before its consumer stage is running; a wake-up lost in that window does no
 * harm because a consumer always drains once when it starts.
 */
public final class WakeUpRelay implements Runnable {

    private volatile Runnable target;

    public void target(Runnable newTarget) {
        this.target = newTarget;
    }

    @Override
    public void run() {
        Runnable current = target;
        if (current != null) {
            current.run();
        }
    }
}
