package io.liveshard.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ServerLatencyHistogramTest {

    private static final double[] BOUNDS = {0.001, 0.002, 0.005};
    private static final long MS = 1_000_000;

    private static HistogramSnapshot.HistogramDataPointSnapshot only(ServerLatencyHistogram histogram) {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = histogram.collect().getDataPoints();
        assertEquals(1, points.size(), points.toString());
        return points.get(0);
    }

    private static long[] perBucket(HistogramSnapshot.HistogramDataPointSnapshot point) {
        ClassicHistogramBuckets buckets = point.getClassicBuckets();
        long[] counts = new long[buckets.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets.getCount(i);
        }
        return counts;
    }

    @Test
    void aLatencyOnABoundCountsInThatBucketAndTheSumIsInSeconds() {
        ServerLatencyHistogram histogram = new ServerLatencyHistogram(BOUNDS, 16, 16);
        LatencyRecorder recorder = histogram.recorder("live", "cam", "rtmp", 0);
        long ingest = 10 * MS;
        recorder.sent(ingest, ingest + MS);          // exactly 1 ms: le="0.001"
        recorder.sent(ingest, ingest + MS + 1);      // just above: le="0.002"
        recorder.sent(ingest, ingest + 4 * MS);      // le="0.005"
        recorder.sent(ingest, ingest + 900 * MS);    // +Inf
        recorder.sent(ingest, ingest - MS);          // a clock step backwards counts as 0, not as negative
        HistogramSnapshot.HistogramDataPointSnapshot point = only(histogram);
        assertEquals(List.of(2L, 1L, 1L, 1L), toList(perBucket(point)));
        assertEquals(5, point.getCount());
        assertEquals(0.906, point.getSum(), 1e-6, "microseconds, rounded");
        assertEquals("live", point.getLabels().get("app"));
        assertEquals("rtmp", point.getLabels().get("protocol"));
    }

    @Test
    void framesOfTheFirstBucketRecordedTogetherCountWhatOneCallPerFrameCounts() {
        ServerLatencyHistogram together = new ServerLatencyHistogram(BOUNDS, 16, 16);
        ServerLatencyHistogram perFrame = new ServerLatencyHistogram(BOUNDS, 16, 16);
        LatencyRecorder batch = together.recorder("live", "cam", "rtmp", 0);
        LatencyRecorder single = perFrame.recorder("live", "cam", "rtmp", 0);
        assertEquals(MS, batch.firstBucketNanos());
        long now = 100 * MS;
        long[] latencies = {MS, 700_000, 1_499, 0};
        long sum = 0;
        for (long latency : latencies) {
            sum += latency;
            single.sent(now - latency, now);
        }
        batch.sentWithinFirstBucket(latencies.length, sum);
        HistogramSnapshot.HistogramDataPointSnapshot expected = only(perFrame);
        HistogramSnapshot.HistogramDataPointSnapshot actual = only(together);
        assertEquals(List.of(4L, 0L, 0L, 0L), toList(perBucket(expected)));
        assertEquals(toList(perBucket(expected)), toList(perBucket(actual)));
        assertEquals(0.001 + 0.0007 + 0.0000015, actual.getSum(), 1e-6);
        assertEquals(expected.getSum(), actual.getSum(), 2e-6, "rounded once for all, not once per frame");
    }

    @Test
    void theSumDoesNotOverflowOverALongLife() {
        // A shared HLS recorder counts seconds per request: 5,000 viewers for a month sum to ~10^10 s.
        ServerLatencyHistogram histogram = new ServerLatencyHistogram(BOUNDS, 16, 16);
        LatencyRecorder recorder = histogram.recorder("live", "cam", "hls", 0);
        for (int i = 0; i < 3; i++) {
            recorder.sent(1, 1 + 4_000_000_000_000_000_000L);
        }
        recorder.close();
        LatencyRecorder next = histogram.recorder("live", "cam", "hls", 0);
        next.sent(1, 1 + 4_000_000_000_000_000_000L);
        assertEquals(1.6e10, only(histogram).getSum(), 1e4);
        assertEquals(4, only(histogram).getCount());
    }

    @Test
    void viewersBeyondTheExactOnesSampleAndAnExactViewerWhoLeftIsReplaced() {
        ServerLatencyHistogram histogram = new ServerLatencyHistogram(BOUNDS, 2, 8);
        // Held to the end: a recorder that becomes garbage gives its exact place back.
        List<LatencyRecorder> viewers = new ArrayList<>();
        LatencyRecorder first = histogram.recorder("live", "cam", "rtmp", 0);
        LatencyRecorder second = histogram.recorder("live", "cam", "rtmp", 0);
        LatencyRecorder third = histogram.recorder("live", "cam", "rtmp", 0);
        LatencyRecorder otherProtocol = histogram.recorder("live", "cam", "http-flv", 0);
        viewers.addAll(List.of(first, second, third, otherProtocol));
        assertEquals(List.of(1, 1, 8, 1), List.of(first.sampleEveryDrains(), second.sampleEveryDrains(),
                third.sampleEveryDrains(), otherProtocol.sampleEveryDrains()), "two exact per stream and protocol");

        third.close();
        LatencyRecorder fourth = histogram.recorder("live", "cam", "rtmp", 0);
        viewers.add(fourth);
        assertEquals(8, fourth.sampleEveryDrains(), "a sampling viewer leaving frees no exact place");
        first.close();
        first.close();
        LatencyRecorder fifth = histogram.recorder("live", "cam", "rtmp", 0);
        LatencyRecorder sixth = histogram.recorder("live", "cam", "rtmp", 0);
        viewers.addAll(List.of(fifth, sixth));
        assertEquals(1, fifth.sampleEveryDrains(),
                "an exact viewer leaving (once, however often it is closed) frees one");
        assertEquals(8, sixth.sampleEveryDrains());
        Reference.reachabilityFence(viewers);
    }

    @Test
    void samplingGetsSparserAsTheAudienceGrowsAndDenserAgainAsItLeaves() {
        ServerLatencyHistogram histogram = new ServerLatencyHistogram(BOUNDS, 2, 8);
        List<LatencyRecorder> viewers = new ArrayList<>();
        List<Integer> rates = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            LatencyRecorder viewer = histogram.recorder("live", "final", "http-flv", 0);
            viewers.add(viewer);
            rates.add(viewer.sampleEveryDrains());
        }
        // Joining a series of k viewers: exact while places are free, then 8 until k = 16, then k rounded down to a
        // power of two.
        assertEquals(List.of(1, 1), rates.subList(0, 2));
        assertTrue(rates.subList(2, 16).stream().allMatch(rate -> rate == 8), rates.toString());
        assertTrue(rates.subList(16, 32).stream().allMatch(rate -> rate == 16), rates.toString());
        assertTrue(rates.subList(32, 40).stream().allMatch(rate -> rate == 32), rates.toString());
        assertEquals(40, histogram.viewersCounted());

        for (LatencyRecorder leaving : viewers.subList(10, 40)) {
            leaving.close();
            leaving.close();
        }
        assertEquals(10, histogram.viewersCounted(), "each viewer leaves once, however often it is closed");
        assertEquals(8, histogram.recorder("live", "final", "http-flv", 0).sampleEveryDrains());
        Reference.reachabilityFence(viewers);
    }

    @Test
    void theSamplingRateIsBoundedAndOneMeansEveryFrame() {
        assertEquals(32, ServerLatencyHistogram.sampleEveryDrains(32, 16));
        assertEquals(32, ServerLatencyHistogram.sampleEveryDrains(32, 63));
        assertEquals(64, ServerLatencyHistogram.sampleEveryDrains(32, 64));
        assertEquals(512, ServerLatencyHistogram.sampleEveryDrains(32, 999));
        assertEquals(ServerLatencyHistogram.MAX_SAMPLE_EVERY_DRAINS,
                ServerLatencyHistogram.sampleEveryDrains(32, Integer.MAX_VALUE));
        assertEquals(1, ServerLatencyHistogram.sampleEveryDrains(1, 5000), "configured to record every frame");
    }

    @Test
    void aSampledFrameCountsForTheFramesItStandsFor() {
        ServerLatencyHistogram histogram = new ServerLatencyHistogram(BOUNDS, 0, 4);
        LatencyRecorder recorder = histogram.recorder("live", "cam", "rtmp", 0);
        recorder.sentAfter(1_500_000, 4);
        recorder.sentWithinFirstBucket(8, 4_000_000);
        assertEquals(List.of(8L, 4L, 0L, 0L), toList(perBucket(only(histogram))));
        assertEquals(0.010, only(histogram).getSum(), 1e-9, "4 x 1.5 ms + 4 ms");
    }

    @Test
    void aViewerWhoLeavesKeepsItsCountsInTheTotalAndItsExactPlaceIsFree() {
        ServerLatencyHistogram histogram = new ServerLatencyHistogram(BOUNDS, 16, 16);
        LatencyRecorder leaving = histogram.recorder("live", "cam", "artc", 0);
        LatencyRecorder staying = histogram.recorder("live", "cam", "artc", 0);
        leaving.sent(MS, 2 * MS);
        staying.sent(MS, 4 * MS);
        assertEquals(2, histogram.exactPlacesTaken());

        leaving.close();
        leaving.close();
        leaving.sent(MS, 2 * MS); // after leaving: not counted
        assertEquals(1, histogram.exactPlacesTaken());
        assertEquals(List.of(1L, 0L, 1L, 0L), toList(perBucket(only(histogram))));
        staying.sent(MS, 2 * MS);
        assertEquals(List.of(2L, 0L, 1L, 0L), toList(perBucket(only(histogram))));
    }

    @Test
    void aRecorderNobodyClosedGivesItsExactPlaceBackOnceItIsGarbage() throws InterruptedException {
        ServerLatencyHistogram histogram = new ServerLatencyHistogram(BOUNDS, 16, 16);
        recordAndDrop(histogram, 7);
        long deadline = System.nanoTime() + 10_000 * MS;
        while (histogram.exactPlacesTaken() > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, histogram.exactPlacesTaken(), "the abandoned recorder kept its exact place");
    }

    private static void recordAndDrop(ServerLatencyHistogram histogram, int frames) {
        LatencyRecorder recorder = histogram.recorder("live", "cam", "http-flv", 0);
        for (int i = 0; i < frames; i++) {
            recorder.sent(MS, 2 * MS);
        }
    }

    @Test
    void scrapesWhileViewersRecordNeverGoBackwardsAndEndExact() throws Exception {
        ServerLatencyHistogram histogram = new ServerLatencyHistogram(BOUNDS, 16, 16);
        int frames = 200_000;
        // Two viewers with recorders of their own (one leaves at the end) and two threads sharing one recorder,
        // as HLS requests do.
        LatencyRecorder leaving = histogram.recorder("live", "cam", "rtmp", 0);
        LatencyRecorder staying = histogram.recorder("live", "cam", "rtmp", 0);
        LatencyRecorder shared = histogram.recorder("live", "cam", "rtmp", 0);
        List<LatencyRecorder> writers = List.of(leaving, staying, shared, shared);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (LatencyRecorder recorder : writers) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < frames; i++) {
                    recorder.sent(MS, MS + (i % 3) * MS);
                }
                if (recorder == leaving) {
                    recorder.close();
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        long[] previous = new long[BOUNDS.length + 1];
        double previousSum = 0;
        int scrapes = 0;
        do {
            HistogramSnapshot.HistogramDataPointSnapshot point = only(histogram);
            long[] buckets = perBucket(point);
            for (int i = 0; i < buckets.length; i++) {
                assertTrue(buckets[i] >= previous[i], "bucket " + i + " went from " + previous[i] + " to " + buckets[i]);
            }
            assertTrue(point.getSum() >= previousSum, "the sum went from " + previousSum + " to " + point.getSum());
            previous = buckets;
            previousSum = point.getSum();
            scrapes++;
        } while (threads.stream().anyMatch(Thread::isAlive));
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(scrapes > 0);
        // Per writer: 0 ms and 1 ms (on the first bound) land in the first bucket, 2 ms in the second.
        long twoMs = frames / 3;
        long firstBucket = frames - twoMs;
        long writersTotal = writers.size();
        assertEquals(List.of(writersTotal * firstBucket, writersTotal * twoMs, 0L, 0L),
                toList(perBucket(only(histogram))));
        long oneMs = (frames + 1) / 3;
        assertEquals(writersTotal * (oneMs + 2 * twoMs) / 1000.0, only(histogram).getSum(), 1e-6);
        assertEquals(2, histogram.exactPlacesTaken(), "the viewer who left gave its place back");
        // The viewers who stay are still there: their recorders must not give their places back as garbage first.
        Reference.reachabilityFence(writers);
    }

    private static List<Long> toList(long[] values) {
        List<Long> list = new ArrayList<>();
        for (long value : values) {
            list.add(value);
        }
        return list;
    }
}
