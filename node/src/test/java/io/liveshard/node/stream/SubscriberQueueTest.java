package io.liveshard.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SubscriberQueueTest {

    private final AtomicInteger wakeUps = new AtomicInteger();

    private SubscriberQueue queue(int maxFrames, int maxDrops) {
        return new SubscriberQueue("test", new SlowConsumerPolicy(maxFrames, 1 << 20, maxDrops),
                wakeUps::incrementAndGet);
    }

    private static List<MediaFrame> drain(SubscriberQueue queue) {
        List<MediaFrame> out = new ArrayList<>();
        queue.drainTo(out);
        return out;
    }

    @Test
    void wakesAWaitingConsumerOnceForABurst() {
        SubscriberQueue queue = queue(100, 3);
        assertEquals(0, drain(queue).size());
        queue.offer(Frames.key(0), true);
        queue.offer(Frames.inter(33), true);
        queue.offer(Frames.audio(40), true);
        assertEquals(1, wakeUps.get(), "a burst wakes a waiting consumer once");
        assertEquals(3, drain(queue).size());
        queue.offer(Frames.inter(66), true);
        assertEquals(1, wakeUps.get(), "a consumer that drained something is not waiting, so not woken");
        assertEquals(1, drain(queue).size());
        assertEquals(0, drain(queue).size());
        queue.offer(Frames.inter(99), true);
        assertEquals(2, wakeUps.get(), "a consumer that found the queue empty is woken by the next frame");
    }

    @Test
    void overflowDropsPendingFramesUpToTheNextKeyframe() {
        SubscriberQueue queue = queue(4, 3);
        queue.offer(Frames.videoConfig(), true);
        queue.offer(Frames.key(0), true);
        queue.offer(Frames.inter(33), true);
        queue.offer(Frames.inter(66), true);
        queue.offer(Frames.inter(99), true);
        queue.offer(Frames.audio(100), true);
        queue.offer(Frames.inter(133), true);
        queue.offer(Frames.key(166), true);
        queue.offer(Frames.inter(199), true);
        List<MediaFrame> delivered = drain(queue);
        assertEquals(3, delivered.size(), "config kept, then resumed at the keyframe: " + delivered);
        assertTrue(delivered.get(0).config(), "the codec config survives the drop");
        assertTrue(delivered.get(1).keyframe(), "the first media frame after the drop is a keyframe");
        assertEquals(166, delivered.get(1).dts());
        assertEquals(1, queue.overflows());
        assertEquals(6, queue.framesDropped(), "key 0, 33, 66, 99, audio 100 and 133");
    }

    @Test
    void disconnectsAfterTooManyOverflows() {
        SubscriberQueue queue = queue(2, 1);
        for (int gop = 0; gop < 3; gop++) {
            queue.offer(Frames.key(gop * 100), true);
            queue.offer(Frames.inter(gop * 100 + 33), true);
            queue.offer(Frames.inter(gop * 100 + 66), true);
        }
        assertEquals(0, drain(queue).size());
        assertEquals(SubscriberQueue.EndReason.SLOW_CONSUMER, queue.endReason());
    }

    @Test
    void audioOnlyStreamsResumeWithoutAKeyframe() {
        SubscriberQueue queue = queue(2, 3);
        queue.offer(Frames.audio(0), false);
        queue.offer(Frames.audio(20), false);
        queue.offer(Frames.audio(40), false);
        List<MediaFrame> delivered = drain(queue);
        assertEquals(1, delivered.size());
        assertEquals(40, delivered.get(0).dts());
    }

    @Test
    void endOfStreamIsReportedAfterTheLastFrames() {
        SubscriberQueue queue = queue(10, 3);
        queue.offer(Frames.key(0), true);
        queue.end(SubscriberQueue.EndReason.END_OF_STREAM);
        assertNull(queue.endReason(), "frames before the end are delivered first");
        assertEquals(1, drain(queue).size());
        assertEquals(SubscriberQueue.EndReason.END_OF_STREAM, queue.endReason());
    }

    @Test
    void cancelledQueuesIgnoreLaterFrames() {
        SubscriberQueue queue = queue(10, 3);
        queue.cancel();
        queue.offer(Frames.key(0), true);
        assertEquals(0, drain(queue).size());
        assertEquals(SubscriberQueue.EndReason.CANCELLED, queue.endReason());
    }
}
