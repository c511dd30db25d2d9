package io.liveshard.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StreamEntityTest {

    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final StreamSettings SETTINGS = new StreamSettings(Duration.ofMillis(300), Duration.ofMillis(300),
            Duration.ofMillis(200),
            100, 1 << 20, new SlowConsumerPolicy(100, 1 << 20, 3));

    private final StreamKey key = new StreamKey("live", "entity");
    private final TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
    private final ActorRef<StreamEntity.Command> entity =
            testKit.spawn(StreamEntity.create(key, SETTINGS, shard.ref()));

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    private StreamFanout publish(String id) {
        TestProbe<StreamEntity.PublishReply> reply = testKit.createTestProbe();
        entity.tell(new StreamEntity.Publish(id, "10.0.0.5:1234", reply.ref()));
        return assertInstanceOf(StreamEntity.PublishAccepted.class, reply.receiveMessage()).fanout();
    }

    private StreamEntity.SubscribeReply subscribe(SubscriberQueue queue, Duration wait) {
        TestProbe<StreamEntity.SubscribeReply> reply = testKit.createTestProbe();
        entity.tell(new StreamEntity.Subscribe(queue, "rtmp", wait, null, reply.ref()));
        return reply.receiveMessage(Duration.ofSeconds(3));
    }

    private static SubscriberQueue newQueue() {
        return new SubscriberQueue("viewer", SETTINGS.slowConsumer(), () -> { });
    }

    @Test
    void secondPublisherIsRefusedAndTheFirstKeepsPublishing() {
        StreamFanout fanout = publish("first");
        TestProbe<StreamEntity.PublishReply> second = testKit.createTestProbe();
        entity.tell(new StreamEntity.Publish("second", "10.0.0.6:1", second.ref()));
        assertInstanceOf(StreamEntity.PublishRefused.class, second.receiveMessage());
        SubscriberQueue queue = newQueue();
        assertInstanceOf(StreamEntity.Subscribed.class, subscribe(queue, Duration.ZERO));
        fanout.publish(Frames.key(0));
        List<MediaFrame> got = new ArrayList<>();
        queue.drainTo(got);
        assertEquals(1, got.size());
    }

    @Test
    void viewersOfAStreamNobodyPublishesAreRefusedOrWait() {
        assertInstanceOf(StreamEntity.NotLive.class, subscribe(newQueue(), Duration.ZERO));
        TestProbe<StreamEntity.SubscribeReply> waiting = testKit.createTestProbe();
        entity.tell(new StreamEntity.Subscribe(newQueue(), "http-flv", Duration.ofSeconds(5), null, waiting.ref()));
        waiting.expectNoMessage(Duration.ofMillis(200));
        publish("late");
        assertInstanceOf(StreamEntity.Subscribed.class, waiting.receiveMessage());
    }

    @Test
    void viewersGetEndOfStreamWhenThePublisherDoesNotReturn() {
        publish("gone");
        SubscriberQueue queue = newQueue();
        subscribe(queue, Duration.ZERO);
        entity.tell(new StreamEntity.Unpublish("gone"));
        TestProbe<StreamStatus> status = testKit.createTestProbe();
        entity.tell(new StreamEntity.GetStatus(status.ref()));
        assertTrue(status.receiveMessage().inGrace());
        status.awaitAssert(Duration.ofSeconds(3), () -> {
            assertEquals(SubscriberQueue.EndReason.END_OF_STREAM, queue.endReason());
            return null;
        });
    }

    @Test
    void aPublisherReturningWithinTheGraceKeepsItsViewers() throws Exception {
        publish("flaky");
        SubscriberQueue queue = newQueue();
        subscribe(queue, Duration.ZERO);
        entity.tell(new StreamEntity.Unpublish("flaky"));
        StreamFanout again = publish("flaky-again");
        Thread.sleep(SETTINGS.publisherGrace().toMillis() + 200);
        assertNull(queue.endReason());
        again.publish(Frames.key(0));
        List<MediaFrame> got = new ArrayList<>();
        queue.drainTo(got);
        assertEquals(1, got.size());
    }

    @Test
    void anIdleEntityAsksToBePassivated() {
        assertInstanceOf(ClusterSharding.Passivate.class, shard.receiveMessage(Duration.ofSeconds(3)));
    }

    @Test
    void viewersWhoseQueueEndedWithoutLeavingAreForgotten() {
        publish("p");
        SubscriberQueue vanished = new SubscriberQueue("vanished", new SlowConsumerPolicy(1, 1 << 20, 0), () -> { });
        subscribe(vanished, Duration.ZERO);
        TestProbe<StreamStatus> status = testKit.createTestProbe();
        entity.tell(new StreamEntity.GetStatus(status.ref()));
        assertEquals(1, status.receiveMessage().viewers().get("rtmp"));
        vanished.end(SubscriberQueue.EndReason.SLOW_CONSUMER);
        status.awaitAssert(Duration.ofSeconds(3), () -> {
            entity.tell(new StreamEntity.GetStatus(status.ref()));
            assertEquals(0, status.receiveMessage().stats().subscribers());
            return null;
        });
    }

    @Test
    void staleUnpublishFromAnotherPublisherIsIgnored() {
        publish("current");
        entity.tell(new StreamEntity.Unpublish("someone-else"));
        TestProbe<StreamStatus> status = testKit.createTestProbe();
        entity.tell(new StreamEntity.GetStatus(status.ref()));
        StreamStatus now = status.receiveMessage();
        assertTrue(now.publishing());
        assertEquals("10.0.0.5:1234", now.publisherAddress());
    }
}
