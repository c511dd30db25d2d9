package io.liveshard.node.stream;

import io.liveshard.node.metrics.LatencyRecorder;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * One subscriber's own bounded queue of frames: the fan-out writes into it on the publisher's thread, the
 * subscriber's egress drains it on its own thread whenever its socket can take more. A subscriber that cannot keep
 * up overflows its queue and, following the {@link SlowConsumerPolicy}, loses its pending frames up to the next
 * video keyframe; after too many such drops it is ended. Nothing here ever waits for the subscriber.
 *
 * <p>Frames are shared, never copied. The queue wakes its consumer only when the consumer found it empty and said it
 * is waiting, so a busy consumer is not woken per frame: it takes everything queued in one batch.
 *
 * <p>A queue whose drains go straight to the socket can {@linkplain #recordLatency record} how long its frames
 * spent in the node. That is on the fan-out's hot path (every frame, every viewer), so it is kept small: beyond a
 * stream's first viewers the recorder asks for one drain in {@link LatencyRecorder#sampleEveryDrains() N} (each
 * drain recorded with probability 1/N, drawn by the caller's event loop), and the others neither read the clock nor
 * write anything of the queue's for it. A recorded drain
 * sums its frames up, and those of the histogram's first bucket (nearly all) add their count and sum, times N, to
 * two fields of the queue; these reach the viewer's {@link LatencyRecorder} with the first recorded drain at least
 * {@value #LATENCY_FLUSH_MILLIS} ms after the last, and when the viewer leaves ({@link #closeLatency}). A slower
 * frame is recorded on its own.
 */
public final class SubscriberQueue {

    /** Why a queue ended. */
    public enum EndReason {
        /** The publisher left and did not come back within the grace period. */
        END_OF_STREAM,
        /** The subscriber overflowed more often than the policy allows. */
        SLOW_CONSUMER,
        /** The subscriber went away (or the stream entity stopped). */
        CANCELLED,
        /** An operator ended this subscriber (the management API's kick, or a forbidden stream). */
        KICKED
    }

    static final long LATENCY_FLUSH_MILLIS = 100;
    private static final long LATENCY_FLUSH_NANOS = LATENCY_FLUSH_MILLIS * 1_000_000;

    private final String subscriberId;
    private final SlowConsumerPolicy policy;
    private final Runnable wakeUp;
    private final ArrayDeque<MediaFrame> frames = new ArrayDeque<>();
    private long queuedBytes;
    private boolean awaitingKeyframe;
    private boolean consumerWaiting = true;
    private int overflows;
    private long framesDropped;
    private EndReason endReason;
    /**
     * Null while latency is not recorded. The three fields after it are the recorder's, copied here so that a drain
     * reads only this queue's cache lines.
     */
    private LatencyRecorder latency;
    private long latencySinceNanos;
    private long firstBucketNanos;
    private int sampleEveryDrains;
    /** Drained frames of the first bucket not yet handed to the recorder: how many, and their latencies' sum. */
    private long unflushedFrames;
    private long unflushedLatencySum;
    private long lastFlushNanos;

    /**
     * @param subscriberId names the subscriber in logs
     * @param wakeUp       called, on the publisher's thread and outside any lock, when frames arrive while the
     *                     consumer waits; it must only schedule the drain (e.g. an async callback), never drain itself
     */
    public SubscriberQueue(String subscriberId, SlowConsumerPolicy policy, Runnable wakeUp) {
        this.subscriberId = subscriberId;
        this.policy = policy;
        this.wakeUp = wakeUp;
    }

    public String subscriberId() {
        return subscriberId;
    }

    /**
     * Moves every queued frame into {@code out}. When nothing is queued and the queue has not ended, the consumer is
     * marked as waiting and will be woken by the next frame. A recording queue reads the system clock when it records
     * the batch, and a sampling one draws whether it does.
     *
     * @return the number of frames moved
     */
    public int drainTo(List<MediaFrame> out) {
        return drainTo(out, System::nanoTime);
    }

    /** Like {@link #drainTo(List)}, with the batch recorded as sent at the time {@code clock} tells. */
    public int drainTo(List<MediaFrame> out, LongSupplier clock) {
        return drainTo(out, clock, SubscriberQueue::drawSample);
    }

    /**
     * Like {@link #drainTo(List, LongSupplier)}, for an event loop: {@code clock} is a {@link System#nanoTime()}
     * reading the loop already has, and {@code sampleDrain} the loop's draw of whether a sampling viewer's drain
     * records ({@link io.liveshard.node.net.LoopClock#sampleDrain}); neither is used by a drain that does not record.
     */
    public int drainTo(List<MediaFrame> out, LongSupplier clock, IntPredicate sampleDrain) {
        int count;
        int every;
        synchronized (this) {
            count = frames.size();
            if (count == 0) {
                consumerWaiting = endReason == null;
                return 0;
            }
            if (count == 1) {
                // An idle viewer's usual batch: without the array that a bulk copy makes.
                out.add(frames.pollFirst());
            } else {
                out.addAll(frames);
                frames.clear();
            }
            queuedBytes = 0;
            consumerWaiting = false;
            if (latency == null) {
                return count;
            }
            every = sampleEveryDrains;
            if (every == 1) {
                // An exact viewer records every drain, so it does so here rather than take the lock a second time.
                record(out, out.size() - count, clock.getAsLong());
                return count;
            }
        }
        // A sampling viewer's draw and recording stay out of the drain's critical section: with them inside, the
        // fan-out benchmark showed about a nanosecond more per frame and viewer (docs/PERFORMANCE.md). A recorded
        // drain takes the lock again, since the viewer may leave (closeLatency) meanwhile.
        if (sampleDrain.test(every)) {
            recordDrained(out, out.size() - count, clock);
        }
        return count;
    }

    private void recordDrained(List<MediaFrame> out, int first, LongSupplier clock) {
        synchronized (this) {
            if (latency != null) {
                record(out, first, clock.getAsLong());
            }
        }
    }

    /**
     * From now on, records how long the frames drained from this queue spent in the node (frames already queued
     * included, when {@code recorder} counts them). Call once, and {@link #closeLatency} when the viewer leaves.
     */
    public void recordLatency(LatencyRecorder recorder) {
        synchronized (this) {
            if (latency != null) {
                throw new IllegalStateException(subscriberId + " records its latency already");
            }
            latency = recorder;
            latencySinceNanos = recorder.sinceNanos();
            firstBucketNanos = recorder.firstBucketNanos();
            sampleEveryDrains = recorder.sampleEveryDrains();
            lastFlushNanos = System.nanoTime();
        }
    }

    /**
     * The viewer left: what it recorded is handed over and the recorder closed; frames drained after this (the last
     * ones of an ended stream) are not recorded. Idempotent.
     */
    public void closeLatency() {
        synchronized (this) {
            if (latency != null) {
                flushLatency(lastFlushNanos);
                latency.close();
                latency = null;
            }
        }
    }

    /** Why the queue ended, once it has ended and every frame before the end was drained; null until then. */
    public synchronized EndReason endReason() {
        return frames.isEmpty() ? endReason : null;
    }

    /** True once the queue ended, whether or not its last frames were drained. */
    public synchronized boolean hasEnded() {
        return endReason != null;
    }

    /** Frames this subscriber lost to the slow-consumer policy. */
    public synchronized long framesDropped() {
        return framesDropped;
    }

    /** Overflows so far. */
    public synchronized int overflows() {
        return overflows;
    }

    /** Called by the subscriber when it goes away: later frames are discarded. */
    public void cancel() {
        end(EndReason.CANCELLED);
    }

    /**
     * Starts the queue with what a new viewer needs first (metadata, codec configs, the cached GOP).
     *
     * @param awaitKeyframe true when the first live video frame to deliver must be a keyframe (no cached GOP)
     */
    void prime(List<MediaFrame> initialFrames, boolean awaitKeyframe) {
        boolean wake;
        synchronized (this) {
            for (MediaFrame frame : initialFrames) {
                enqueue(frame);
            }
            awaitingKeyframe = awaitKeyframe;
            wake = takeWakeUp();
        }
        if (wake) {
            wakeUp.run();
        }
    }

    /**
     * Offers one live frame; called by the fan-out with the stream's lock held.
     *
     * @param streamHasVideo whether the stream carries video, so audio-only streams never wait for a keyframe
     */
    void offer(MediaFrame frame, boolean streamHasVideo) {
        boolean wake;
        synchronized (this) {
            if (endReason != null) {
                return;
            }
            if (!accept(frame, streamHasVideo)) {
                return;
            }
            wake = takeWakeUp();
        }
        if (wake) {
            wakeUp.run();
        }
    }

    public void end(EndReason reason) {
        boolean wake;
        synchronized (this) {
            if (endReason != null) {
                return;
            }
            endReason = reason;
            if (reason != EndReason.END_OF_STREAM) {
                discardQueued();
            }
            wake = takeWakeUp();
        }
        if (wake) {
            wakeUp.run();
        }
    }

    private boolean accept(MediaFrame frame, boolean streamHasVideo) {
        if (awaitingKeyframe && !isResumePoint(frame, streamHasVideo)) {
            framesDropped++;
            return false;
        }
        awaitingKeyframe = false;
        if (frames.size() + 1 > policy.maxQueuedFrames()
                || queuedBytes + frame.body().length > policy.maxQueuedBytes()) {
            overflows++;
            dropPendingMedia();
            if (overflows > policy.maxDrops() || frames.size() + 1 > policy.maxQueuedFrames()) {
                endReason = EndReason.SLOW_CONSUMER;
                discardQueued();
                consumerWaiting = true;
                return true;
            }
            if (!isResumePoint(frame, streamHasVideo)) {
                awaitingKeyframe = true;
                framesDropped++;
                return false;
            }
        }
        enqueue(frame);
        return true;
    }

    private void enqueue(MediaFrame frame) {
        frames.add(frame);
        queuedBytes += frame.body().length;
    }

    /**
     * Records {@code out}'s frames from {@code first} on as sent at {@code nowNanos}, each standing for
     * {@code sampleEveryDrains} frames. Frames of the first bucket (nearly all of them) are summed up in registers;
     * a slower frame is recorded on its own.
     */
    private void record(List<MediaFrame> out, int first, long nowNanos) {
        long since = latencySinceNanos;
        long firstBucket = firstBucketNanos;
        int weight = sampleEveryDrains;
        long fast = 0;
        long fastSum = 0;
        for (int i = first, end = out.size(); i < end; i++) {
            MediaFrame frame = out.get(i);
            if (LatencyRecorder.counts(frame, since)) {
                // Below 0 when the frame arrived after the caller read its clock, or came from another node's.
                long latency = Math.max(0, nowNanos - frame.ingestNanos());
                if (latency <= firstBucket) {
                    fast++;
                    fastSum += latency;
                } else {
                    this.latency.sentAfter(latency, weight);
                }
            }
        }
        unflushedFrames += fast * weight;
        unflushedLatencySum += fastSum * weight;
        if (unflushedFrames > 0 && nowNanos - lastFlushNanos >= LATENCY_FLUSH_NANOS) {
            flushLatency(nowNanos);
        }
    }

    /** Records a drain with probability 1/{@code every}, for callers without a loop's draw. */
    private static boolean drawSample(int every) {
        return ThreadLocalRandom.current().nextInt(every) == 0;
    }

    private void flushLatency(long nowNanos) {
        if (unflushedFrames > 0) {
            latency.sentWithinFirstBucket(unflushedFrames, unflushedLatencySum);
            unflushedFrames = 0;
            unflushedLatencySum = 0;
        }
        lastFlushNanos = nowNanos;
    }

    /** Config frames and metadata survive an overflow: without them nothing after the drop can be decoded. */
    private void dropPendingMedia() {
        Iterator<MediaFrame> it = frames.iterator();
        while (it.hasNext()) {
            MediaFrame queued = it.next();
            if (!queued.config() && queued.kind() != MediaKind.DATA) {
                it.remove();
                queuedBytes -= queued.body().length;
                framesDropped++;
            }
        }
    }

    private void discardQueued() {
        frames.clear();
        queuedBytes = 0;
    }

    private static boolean isResumePoint(MediaFrame frame, boolean streamHasVideo) {
        if (frame.config() || !frame.isVideo() && !frame.isAudio()) {
            return true;
        }
        if (frame.isVideo()) {
            return frame.keyframe();
        }
        return !streamHasVideo;
    }

    private boolean takeWakeUp() {
        boolean wake = consumerWaiting && (!frames.isEmpty() || endReason != null);
        if (wake) {
            consumerWaiting = false;
        }
        return wake;
    }
}
