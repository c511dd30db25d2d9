package io.liveshard.node.stream;

import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.net.LoopClock;
import io.liveshard.protocol.codec.LatencyStamp;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-out of one stream to {@value #SUBSCRIBERS} in-process subscribers on one thread: each operation publishes
 * one frame through {@link StreamFanout#publish} and, every {@code drainEvery} frames, drains every subscriber's
 * queue the way {@link SubscriberSource} does. The score is nanoseconds per frame per subscriber (the issue's
 * target: under 1000 ns on one core).
 *
 * <p>{@code drainEvery = 1} is an idle viewer that takes every frame as it comes, so every frame also costs a
 * wake-up; larger values are viewers whose sockets were busy and take batches. The wake-up here only counts: in the
 * node it schedules a Pekko async callback, which this benchmark does not include, nor the encoding and the socket.
 * The frames follow a 30 fps video track (GOP of 60, 40 KB keyframes, ~4 KB others) and a 47 fps AAC track.
 *
 * <p>{@code latencyWork = on} adds what the latency monitoring costs on this path: each video frame is stamped
 * (the SEI latency stamp inserted, as RTMP ingest does) before it is published, and every frame a subscriber drains
 * is recorded in its server-latency histogram, as the RTMP and HTTP-FLV egress do: each subscriber's queue records
 * the latency of what it hands out, with the time and the sampling draw of an event loop's {@link LoopClock}, and
 * with the node's default sampling (per protocol, 16 viewers record every drain, the others one drain in 32, and
 * sparser as the audience grows: one in 64 from the 64th viewer on, ..., one in 256 from the 256th); {@code every} is
 * {@code on} without sampling, every frame of every viewer recorded; {@code stamp} only stamps. Compare them with
 * {@code off} in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanoutBenchmark {

    static final int SUBSCRIBERS = 1000;

    @Param({"1", "16"})
    public int drainEvery;

    @Param({"off", "stamp", "on", "every"})
    public String latencyWork;

    private final List<MediaFrame> batch = new ArrayList<>();
    private final LoopClock clock = new LoopClock();
    private final LongSupplier now = clock::nanos;
    private final IntPredicate sampleDrain = clock::sampleDrain;
    private StreamFanout fanout;
    private SubscriberQueue[] queues;
    private boolean stamping;
    private boolean recording;
    private MediaFrame[] frames;
    private int next;
    private int sinceDrain;
    private long wakeUps;
    private long drained;

    @Setup(Level.Trial)
    public void attachSubscribers() {
        frames = twoSecondsOfFrames();
        stamping = !latencyWork.equals("off");
        recording = latencyWork.equals("on") || latencyWork.equals("every");
        NodeMetrics metrics = latencyWork.equals("every")
                ? new NodeMetrics(100, SUBSCRIBERS, 1)
                : new NodeMetrics(100);
        fanout = new StreamFanout(new StreamKey("live", "bench"), 2048, 8L * 1024 * 1024);
        fanout.beginPublisher();
        fanout.publish(new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, true, true, 0, 0,
                new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}, 5, System.nanoTime()));
        fanout.publish(new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, true, false, 0, 0,
                new byte[] {(byte) 0xAF, 0, 0x11, (byte) 0x90}, 2, System.nanoTime()));
        SlowConsumerPolicy policy = new SlowConsumerPolicy(4096, 16L * 1024 * 1024, 3);
        queues = new SubscriberQueue[SUBSCRIBERS];
        for (int i = 0; i < SUBSCRIBERS; i++) {
            queues[i] = new SubscriberQueue("bench-" + i, policy, () -> wakeUps++);
            if (recording) {
                queues[i].recordLatency(metrics.latency(fanout.key(), i % 2 == 0 ? "http-flv" : "rtmp"));
            }
            fanout.attach(queues[i]);
        }
        drainAll();
    }

    @TearDown(Level.Trial)
    public void checkNoLoss() {
        for (SubscriberQueue queue : queues) {
            if (queue.framesDropped() != 0 || queue.endReason() != null) {
                throw new IllegalStateException(queue.subscriberId() + " dropped " + queue.framesDropped()
                        + " frames, ended " + queue.endReason());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public long publishAndDrain() {
        MediaFrame frame = frames[next];
        // Received now: the histogram records a real (small) latency, as in the node.
        frame = new MediaFrame(frame.kind(), frame.codec(), false, frame.keyframe(), frame.dts(), 0, frame.body(),
                frame.payloadOffset(), System.nanoTime());
        fanout.publish(stamping ? LatencyStamp.stamp(frame, 4, System.currentTimeMillis()) : frame);
        next = next + 1 == frames.length ? 0 : next + 1;
        if (++sinceDrain == drainEvery) {
            sinceDrain = 0;
            drainAll();
        }
        return drained + wakeUps;
    }

    /** One turn of an event loop that finds every viewer ready: a step per viewer, as {@code EventLoop} counts. */
    private void drainAll() {
        clock.expire();
        for (int i = 0; i < queues.length; i++) {
            batch.clear();
            clock.step();
            drained += queues[i].drainTo(batch, now, sampleDrain);
        }
    }

    private static MediaFrame[] twoSecondsOfFrames() {
        Random random = new Random(1);
        List<MediaFrame> frames = new ArrayList<>();
        int video = 0;
        int audio = 0;
        while (video < 60 || audio < 94) {
            long videoTs = 1000 + video * 1000L / 30;
            long audioTs = 1000 + audio * 1024L * 1000 / 48000;
            if (video < 60 && (audio >= 94 || videoTs <= audioTs)) {
                boolean key = video == 0;
                byte[] body = new byte[key ? 40_000 : 3_500 + random.nextInt(1_000)];
                body[0] = (byte) (key ? 0x17 : 0x27);
                body[1] = 1;
                frames.add(new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, key, videoTs, 0, body, 5, 0));
                video++;
            } else {
                byte[] body = new byte[180 + random.nextInt(40)];
                body[0] = (byte) 0xAF;
                body[1] = 1;
                frames.add(new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, false, false, audioTs, 0, body, 2, 0));
                audio++;
            }
        }
        return frames.toArray(MediaFrame[]::new);
    }
}
