package io.liveshard.node.net;

/**
 * An event loop's clock: {@link System#nanoTime()}, read once for every {@value #STEPS_PER_READING} steps of work
 * instead of at every step. A viewer's write records the time its frames left; read per write, the clock would
 * cost about as much as the fan-out's own work per frame and viewer (a reading is about 25 ns here, see
 * docs/PERFORMANCE.md, "Fan-out with and without the latency work"); the loop's timers and its once-a-second tick
 * read it too. A step is one socket event, task, timer or
 * writer of the loop, and every datagram or write sent and every datagram read within one: a few microseconds each
 * (a system call, a publisher's read fanned out), so a reading is some tens of microseconds old, up to a few hundred
 * under load, and the histogram may count a frame that much earlier than it left. Work without a system call that
 * takes longer in one step (a DTLS handshake's signature, about a millisecond) can make one reading older.
 *
 * <p>One thread only: the loop's.
 */
public final class LoopClock {

    static final int STEPS_PER_READING = 16;

    private long nanos;
    private int stepsLeft;

    /** The time, as of at most {@value #STEPS_PER_READING} steps ago. */
    public long nanos() {
        if (stepsLeft == 0) {
            nanos = System.nanoTime();
            stepsLeft = STEPS_PER_READING;
        }
        return nanos;
    }

    /** The loop starts a step: handling a socket event, running a task or a timer, letting a writer write. */
    public void step() {
        if (stepsLeft > 0) {
            stepsLeft--;
        }
    }

    /** The loop slept, or did something long: the next use reads the clock. */
    public void expire() {
        stepsLeft = 0;
    }
}
