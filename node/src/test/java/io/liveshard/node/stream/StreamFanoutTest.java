package io.liveshard.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFanoutTest {

    private final StreamFanout fanout = new StreamFanout(new StreamKey("live", "t"), 100, 1 << 20);

    private static SubscriberQueue newQueue() {
        return new SubscriberQueue("viewer", new SlowConsumerPolicy(1000, 1 << 20, 3), () -> { });
    }

    private static List<MediaFrame> drain(SubscriberQueue queue) {
        List<MediaFrame> out = new ArrayList<>();
        queue.drainTo(out);
        return out;
    }

    @Test
    void lateSubscriberStartsWithConfigsAndTheCachedGop() {
        fanout.publish(Frames.videoConfig());
        fanout.publish(Frames.audioConfig());
        fanout.publish(Frames.key(0));
        fanout.publish(Frames.inter(33));
        fanout.publish(Frames.key(66));
        fanout.publish(Frames.audio(70));
        fanout.publish(Frames.inter(99));
        SubscriberQueue late = newQueue();
        fanout.attach(late);
        fanout.publish(Frames.inter(133));
        List<MediaFrame> got = drain(late);
        assertEquals(6, got.size(), got.toString());
        assertTrue(got.get(0).config() && got.get(0).isVideo());
        assertTrue(got.get(1).config() && got.get(1).isAudio());
        assertTrue(got.get(2).keyframe());
        assertEquals(66, got.get(2).dts(), "starts at the latest keyframe");
        assertEquals(List.of(70L, 99L, 133L), got.subList(3, 6).stream().map(MediaFrame::dts).toList());
    }

    @Test
    void framesAreSharedNotCopied() {
        SubscriberQueue a = newQueue();
        SubscriberQueue b = newQueue();
        fanout.attach(a);
        fanout.attach(b);
        MediaFrame frame = Frames.key(0);
        fanout.publish(frame);
        assertSame(frame.body(), drain(a).get(0).body());
        assertSame(frame.body(), drain(b).get(0).body());
    }

    @Test
    void subscriberWithoutCachedGopWaitsForAKeyframe() {
        fanout.publish(Frames.videoConfig());
        fanout.publish(Frames.inter(0));
        SubscriberQueue queue = newQueue();
        fanout.attach(queue);
        fanout.publish(Frames.inter(33));
        fanout.publish(Frames.key(66));
        List<MediaFrame> got = drain(queue);
        assertEquals(2, got.size(), got.toString());
        assertTrue(got.get(1).keyframe());
    }

    @Test
    void republishedTimestampsContinueAfterThePreviousPublisher() {
        SubscriberQueue queue = newQueue();
        fanout.attach(queue);
        fanout.beginPublisher();
        fanout.publish(Frames.key(5000));
        fanout.publish(Frames.inter(5033));
        fanout.beginPublisher();
        fanout.publish(Frames.videoConfig());
        fanout.publish(Frames.key(0));
        fanout.publish(Frames.inter(33));
        List<Long> dts = drain(queue).stream().filter(f -> !f.config()).map(MediaFrame::dts).toList();
        assertEquals(List.of(5000L, 5033L, 5073L, 5106L), dts);
    }

    @Test
    void detachedSubscribersGetNothingMore() {
        SubscriberQueue queue = newQueue();
        fanout.attach(queue);
        fanout.detach(queue, SubscriberQueue.EndReason.CANCELLED);
        fanout.publish(Frames.key(0));
        assertEquals(0, drain(queue).size());
        assertEquals(0, fanout.stats().subscribers());
    }
}
