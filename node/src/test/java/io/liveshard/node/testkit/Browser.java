package io.liveshard.node.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** A real browser that tests drive: one page to navigate and evaluate JavaScript in. */
public interface Browser extends AutoCloseable {

    /** "chromium" or "firefox", for messages. */
    String name();

    /** Loads {@code url} in the page and waits until its document has finished loading. */
    void navigate(String url) throws InterruptedException;

    /**
     * Evaluates a JavaScript expression in the page (awaiting it when it is a promise) and returns its value: a
     * string as is, anything else as its JSON text ({@code 12.5}, {@code true}, {@code null}, {@code NaN}), and
     * {@code undefined} for undefined. A thrown exception fails with its description.
     */
    String evaluate(String expression) throws InterruptedException;

    /** Saves what the page shows now as a PNG file (creating its folder), for a test's record of a UI. */
    void screenshot(Path file) throws InterruptedException, IOException;

    /** Sets the page's viewport size, so that screenshots show a whole page. */
    void viewport(int width, int height) throws InterruptedException;

    /** The last few kilobytes of the browser's own output. */
    String log();

    /** Closes the connection, stops the browser and every process it started, and deletes its profile. */
    @Override
    void close();

    /** Evaluates {@code condition} every 100 ms until it is {@code true}; fails naming {@code what} at the timeout. */
    default void await(String condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = evaluate(condition);
                if (last.equals("true")) {
                    return;
                }
            } catch (IllegalStateException e) {
                // A navigation in progress destroys the context an evaluation ran in; the next poll uses the new one.
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name() + ": " + what + " not within " + timeout + " (`" + condition + "` was "
                + last + ")\n" + name() + " log:\n" + log());
    }
}
