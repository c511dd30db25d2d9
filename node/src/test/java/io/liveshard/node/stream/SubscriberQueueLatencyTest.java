package io.liveshard.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liveshard.node.metrics.LatencyRecorder;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.net.LoopClock;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A recording queue sums its drained frames up instead of recording them one by one: for a viewer that records
 * every drain, the histogram must end up exactly where one call per frame would have put it, whatever the batch
 * holds; a sampling viewer must estimate the same, from the drains it records.
 */
class SubscriberQueueLatencyTest {

    private static final StreamKey KEY = new StreamKey("live", "cam");
    private static final long MS = 1_000_000;
    private static final long FLUSH_NANOS = SubscriberQueue.LATENCY_FLUSH_MILLIS * MS;

    private final NodeMetrics queueMetrics = new NodeMetrics(10);
    private final NodeMetrics perFrameMetrics = new NodeMetrics(10);

    private static SubscriberQueue queue(int maxFrames) {
        return new SubscriberQueue("test", new SlowConsumerPolicy(maxFrames, 1 << 20, 100), () -> { });
    }

    private static MediaFrame video(boolean config, boolean keyframe, long ingestNanos) {
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, config, keyframe, 0, 0, new byte[16], 5,
                ingestNanos);
    }

    private static MediaFrame inter(long ingestNanos) {
        return video(false, false, ingestNanos);
    }

    private static HistogramSnapshot.HistogramDataPointSnapshot only(NodeMetrics metrics) {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = metrics.serverLatencySnapshot().getDataPoints();
        assertEquals(1, points.size(), points.toString());
        return points.get(0);
    }

    private static List<Long> perBucket(HistogramSnapshot.HistogramDataPointSnapshot point) {
        ClassicHistogramBuckets buckets = point.getClassicBuckets();
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            counts.add(buckets.getCount(i));
        }
        return counts;
    }

    private static void assertSameHistogram(NodeMetrics expected, NodeMetrics actual) {
        assertEquals(perBucket(only(expected)), perBucket(only(actual)));
        assertEquals(only(expected).getSum(), only(actual).getSum(), 2e-6,
                "rounded to microseconds once, not per frame");
    }

    @Test
    void batchesCountWhatOneCallPerFrameCounts() {
        SubscriberQueue queue = queue(100);
        queue.recordLatency(queueMetrics.latency(KEY, "rtmp"));
        LatencyRecorder perFrame = perFrameMetrics.latency(KEY, "rtmp");
        long now = System.nanoTime() + 10 * MS;
        List<List<MediaFrame>> batches = List.of(
                // All within the first bucket (0.5 ms): summed up.
                List.of(inter(now - 400_000), inter(now - 1_000), inter(now)),
                // One frame 3 ms late: every frame of the batch recorded on its own.
                List.of(inter(now - 100_000), inter(now - 3 * MS), inter(now - 10_000)),
                // A frame from the future (a relayed frame whose origin's clock runs ahead) counts as 0.
                List.of(inter(now - 200_000), inter(now + 2 * MS)),
                // A codec config and a frame never stamped on arrival are not counted.
                List.of(video(true, true, now - 100_000), inter(0), inter(now - 300_000)),
                // A single frame, the usual batch of an idle viewer.
                List.of(inter(now - 50_000)));
        for (List<MediaFrame> batch : batches) {
            for (MediaFrame frame : batch) {
                queue.offer(frame, true);
                perFrame.sent(frame, now);
            }
            List<MediaFrame> drained = new ArrayList<>();
            assertEquals(batch.size(), queue.drainTo(drained, () -> now));
            assertEquals(batch, drained, "every frame handed out, in order");
        }
        queue.closeLatency();
        perFrame.close();
        assertEquals(10, only(queueMetrics).getCount());
        assertSameHistogram(perFrameMetrics, queueMetrics);
    }

    @Test
    void theCachedGopAViewerStartsWithIsNotCounted() {
        SubscriberQueue queue = queue(100);
        long before = System.nanoTime() - 2_000 * MS;
        queue.prime(List.of(video(true, true, before), video(false, true, before), inter(before + MS)), false);
        queue.recordLatency(queueMetrics.latency(KEY, "http-flv"));
        long now = System.nanoTime() + MS;
        queue.offer(inter(now - 100_000), true);
        assertEquals(4, queue.drainTo(new ArrayList<>(), () -> now));
        queue.closeLatency();
        assertEquals(1, only(queueMetrics).getCount(), "only the frame that arrived after the viewer joined");
        assertEquals(0.0001, only(queueMetrics).getSum(), 1e-6);
    }

    @Test
    void countsReachTheHistogramWithoutWaitingForTheViewerToLeave() {
        SubscriberQueue queue = queue(100);
        queue.recordLatency(queueMetrics.latency(KEY, "rtmp"));
        long start = System.nanoTime() + MS;
        long drains = 0;
        // A viewer that keeps playing: its counts show within one flush interval of its drains.
        for (long now = start; now <= start + 2 * FLUSH_NANOS; now += 10 * MS) {
            queue.offer(inter(now - 100_000), true);
            long drainedAt = now;
            queue.drainTo(new ArrayList<>(), () -> drainedAt);
            drains++;
        }
        long shown = only(queueMetrics).getCount();
        assertEquals(true, shown >= drains - FLUSH_NANOS / (10 * MS) - 1 && shown <= drains,
                shown + " of " + drains + " frames shown while playing");
        queue.closeLatency();
        assertEquals(drains, only(queueMetrics).getCount(), "all of them once the viewer left");
        queue.closeLatency();
        assertEquals(drains, only(queueMetrics).getCount(), "closing twice changes nothing");
    }

    @Test
    void framesLostToTheSlowConsumerPolicyAreNotCounted() {
        SubscriberQueue queue = queue(4);
        queue.recordLatency(queueMetrics.latency(KEY, "rtmp"));
        long now = System.nanoTime() + MS;
        queue.offer(video(false, true, now - 100_000), true);
        for (int i = 0; i < 6; i++) {
            queue.offer(inter(now - 100_000), true);
        }
        queue.offer(video(false, true, now - 50_000), true);
        List<MediaFrame> drained = new ArrayList<>();
        queue.drainTo(drained, () -> now);
        queue.closeLatency();
        assertEquals(drained.size(), only(queueMetrics).getCount(), "exactly the frames handed out");
    }

    @Test
    void aDrainWithoutAClockReadsItsOwn() {
        SubscriberQueue queue = queue(100);
        queue.recordLatency(queueMetrics.latency(KEY, "http-flv"));
        long before = System.nanoTime();
        queue.offer(inter(before), true);
        queue.drainTo(new ArrayList<>());
        long after = System.nanoTime();
        queue.closeLatency();
        assertEquals(1, only(queueMetrics).getCount());
        assertEquals(true, only(queueMetrics).getSum() <= (after - before) / 1e9 + 1e-6,
                "the time between the frame's arrival and the drain, at most");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"four queues on one event loop's draw", "one queue with its own draw"})
    void samplingViewersRecordOneDrainInNForNFramesAndReadTheClockOnlyThen(String how) {
        boolean onALoop = how.startsWith("four");
        NodeMetrics sampling = new NodeMetrics(10, 0, 4);
        List<SubscriberQueue> queues = new ArrayList<>();
        for (int i = 0; i < (onALoop ? 4 : 1); i++) {
            SubscriberQueue queue = queue(100);
            queue.recordLatency(sampling.latency(KEY, "rtmp"));
            queues.add(queue);
        }
        LoopClock loop = new LoopClock();
        long now = System.nanoTime() + 10 * MS;
        AtomicInteger clockReadings = new AtomicInteger();
        LongSupplier clock = () -> {
            clockReadings.incrementAndGet();
            return now;
        };
        // Each queue in turn: a drain of one fast frame (0.1 ms) or, every fourth drain of that queue, of one frame
        // 1.5 ms late (a rhythm a sampler taking every fourth drain would lock onto), each into a list that already
        // holds the previous frame: only the new frame is the drain's.
        int drains = 40_000;
        List<MediaFrame> out = new ArrayList<>();
        for (int i = 0; i < drains; i++) {
            SubscriberQueue queue = queues.get(i % queues.size());
            boolean late = i / queues.size() % 4 == 3;
            queue.offer(inter(now - (late ? 1_500_000 : 100_000)), true);
            out.clear();
            out.add(inter(now - 900_000_000));
            int drained = onALoop ? queue.drainTo(out, clock, loop::sampleDrain) : queue.drainTo(out, clock);
            assertEquals(1, drained);
        }
        queues.forEach(SubscriberQueue::closeLatency);
        long recorded = clockReadings.get();
        assertEquals(4 * recorded, only(sampling).getCount(), "the clock is read for the recorded drains only");
        // Each drain is recorded with probability 1/4: 10,000 expected, standard deviation 87.
        assertEquals(true, Math.abs(recorded - drains / 4) < 600, recorded + " drains recorded of " + drains);
        List<Long> buckets = perBucket(only(sampling));
        // Estimates of 30,000 and 10,000 frames, standard deviations 300 and 173 (each recorded frame counts 4).
        assertEquals(true, Math.abs(buckets.get(0) - drains * 3 / 4) < 2_400, "0.5 ms bucket: " + buckets);
        assertEquals(true, Math.abs(buckets.get(2) - drains / 4) < 2_400, "2 ms bucket: " + buckets);
        assertEquals(only(sampling).getCount(), buckets.get(0) + buckets.get(2), "nothing elsewhere: " + buckets);
        assertEquals(buckets.get(0) * 0.0001 + buckets.get(2) * 0.0015, only(sampling).getSum(), 1e-6);
    }

    @Test
    void framesDrainedAfterTheViewerLeftAreNotRecorded() {
        SubscriberQueue queue = queue(100);
        queue.recordLatency(queueMetrics.latency(KEY, "rtmp"));
        long now = System.nanoTime() + MS;
        queue.offer(inter(now - 100_000), true);
        queue.drainTo(new ArrayList<>(), () -> now);
        queue.closeLatency();
        queue.offer(inter(now - 100_000), true);
        queue.offer(inter(now - 100_000), true);
        queue.drainTo(new ArrayList<>(), () -> now + 2 * FLUSH_NANOS);
        assertEquals(1, only(queueMetrics).getCount());
        assertThrows(IllegalStateException.class, () -> {
            SubscriberQueue recording = queue(100);
            recording.recordLatency(queueMetrics.latency(KEY, "rtmp"));
            recording.recordLatency(queueMetrics.latency(KEY, "rtmp"));
        }, "a queue has one recorder");
    }
}
