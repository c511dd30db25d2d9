package io.liveshard.node.hooks;

/**
 * What a webhook reports. {@link #PUBLISH} and {@link #PLAY} are decisions the hook takes (it may deny them);
 * {@link #UNPUBLISH} and {@link #STOP} are notifications, delivered with retries.
 */
public enum HookEvent {
    PUBLISH("publish", true),
    UNPUBLISH("unpublish", false),
    PLAY("play", true),
    STOP("stop", false);

    private final String wireName;
    private final boolean decision;

    HookEvent(String wireName, boolean decision) {
        this.wireName = wireName;
        this.decision = decision;
    }

    /** The {@code event} field of the JSON body and the key of the event's URL list in {@code liveshard.hooks.urls}. */
    public String wireName() {
        return wireName;
    }

    /** The hook's answer decides whether the client may go on (no retries: the client is waiting). */
    public boolean decision() {
        return decision;
    }
}
