package io.liveshard.node.net;

import java.util.concurrent.ThreadLocalRandom;

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
 * <p>The loop's other cheap measurement: {@link #sampleDrain} decides which drains of its viewers' queues record
 * their latency, so that a drain that does not record reads and writes nothing of its own for it.
 *
 * <p>One thread only: the loop's.
 */
public final class LoopClock {

    static final int STEPS_PER_READING = 16;

    private long nanos;
    private int stepsLeft;
    /** Drains until the next hit of the loop's draw at its densest rate, {@link #samplingEvery} (1: the next). */
    private int drainsUntilSample;
    /** The densest rate asked for so far; 0 before the first draw. */
    private int samplingEvery;
    private double gapPerLogOfUniform;

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

    /**
     * Whether this drain of a sampling viewer's queue records its latency: true with probability 1/{@code every},
     * independently of every other drain (the gaps between the drains that record are geometric), so the samples
     * neither lock onto a stream's rhythm (a fixed period that divides the GOP would record the same frames of
     * every GOP) nor favour a viewer. One draw per loop instead of a count-down per queue: a drain that does not
     * record then writes nothing to its queue, which the fan-out benchmark shows (docs/PERFORMANCE.md).
     *
     * <p>Viewers sample at different rates (sparser in larger audiences), so the loop draws at the densest rate it
     * has been asked for, and a drain of a sparser viewer keeps a hit with probability {@code densest / every}:
     * (1/densest) · (densest/every) = 1/{@code every}, still independently per drain.
     */
    public boolean sampleDrain(int every) {
        if (every < samplingEvery || samplingEvery == 0) {
            samplingEvery = every;
            gapPerLogOfUniform = gapPerLogOfUniform(every);
            drainsUntilSample = drainsToNextSample(gapPerLogOfUniform);
        }
        if (--drainsUntilSample > 0) {
            return false;
        }
        drainsUntilSample = drainsToNextSample(gapPerLogOfUniform);
        return every == samplingEvery || ThreadLocalRandom.current().nextInt(every) < samplingEvery;
    }

    /** A gap drawn as {@link #sampleDrain} draws them: at least 1, geometric with mean {@code every}. */
    static int drainsToNextSample(int every) {
        return drainsToNextSample(gapPerLogOfUniform(every));
    }

    /**
     * Inverts the geometric distribution's CDF once per rate; the per-sample part is then one {@link Math#log}, an
     * intrinsic ({@link Math#log1p} is a native call in Java 17: twice per sample it took 30 ns here, three times
     * the whole draw with {@code Math.log}).
     */
    private static double gapPerLogOfUniform(int every) {
        return every <= 1 ? 0 : 1 / Math.log1p(-1.0 / every);
    }

    private static int drainsToNextSample(double gapPerLogOfUniform) {
        if (gapPerLogOfUniform == 0) {
            return 1;
        }
        // 1 - u lies in (0, 1]: its log is finite and at most 0, the gap at least 0.
        double uniform = ThreadLocalRandom.current().nextDouble();
        double gap = Math.floor(Math.log(1 - uniform) * gapPerLogOfUniform);
        return 1 + (int) Math.min(gap, Integer.MAX_VALUE - 1);
    }
}
