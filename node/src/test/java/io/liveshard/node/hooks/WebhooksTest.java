package io.liveshard.node.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.testkit.HookReceiver;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Webhooks} against a real HTTP receiver: the fail policies of a dead hook, the bound on requests in flight,
 * retried notifications and the HLS viewer window.
 */
class WebhooksTest {

    private static final HookRequest CAM1 = new HookRequest(new StreamKey("live", "cam1"), "http-flv", "127.0.0.1",
            "flv-1@127.0.0.1", Map.of());
    private HookReceiver receiver;

    @AfterEach
    void close() {
        receiver.close();
    }

    private Webhooks hooks(int maxInFlight, boolean playFailOpen) {
        return new Webhooks(new HookSettings(Map.of(
                HookEvent.PLAY, List.of(URI.create(receiver.url("/play"))),
                HookEvent.STOP, List.of(URI.create(receiver.url("/stop")))),
                "s3cret", Duration.ofMillis(500), 2, Duration.ofMillis(100), maxInFlight, false, playFailOpen,
                Duration.ofSeconds(10), 100), new NodeMetrics(10), "test-node");
    }

    @Test
    void aHookThatNeverAnswersFollowsTheFailPolicyWithinTheTimeout() throws Exception {
        receiver = HookReceiver.start(request -> HookReceiver.Answer.NEVER);
        for (boolean failOpen : new boolean[] {false, true}) {
            long start = System.nanoTime();
            HookDecision decision = hooks(4, failOpen).decide(HookEvent.PLAY, CAM1).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(failOpen, decision.allowed(), decision.toString());
            assertTrue(millis >= 400 && millis < 2000, "decided after " + millis + " ms");
        }
    }

    @Test
    void whenEverySlotIsTakenTheDecisionFollowsTheFailPolicyAtOnce() throws Exception {
        receiver = HookReceiver.start(request -> HookReceiver.Answer.NEVER);
        Webhooks hooks = hooks(2, false);
        CompletableFuture<HookDecision> first = hooks.decide(HookEvent.PLAY, CAM1).toCompletableFuture();
        CompletableFuture<HookDecision> second = hooks.decide(HookEvent.PLAY, CAM1).toCompletableFuture();
        receiver.await(r -> receiver.received().size() >= 2, Duration.ofSeconds(5));
        long start = System.nanoTime();
        HookDecision third = hooks.decide(HookEvent.PLAY, CAM1).toCompletableFuture().get(5, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(third.allowed());
        assertEquals("play webhook unavailable", third.reason());
        assertTrue(millis < 300, "the third decision took " + millis + " ms");
        assertFalse(first.get(5, TimeUnit.SECONDS).allowed());
        assertFalse(second.get(5, TimeUnit.SECONDS).allowed());
        assertEquals(2, receiver.received().size(), receiver.describe());
        // The timed-out exchanges gave their slots back.
        assertFalse(hooks.decide(HookEvent.PLAY, CAM1).toCompletableFuture().get(5, TimeUnit.SECONDS).allowed());
        assertEquals(3, receiver.received().size(), receiver.describe());
    }

    @Test
    void aStopAnswered500IsRetriedAndDeliveredOnce() throws Exception {
        receiver = HookReceiver.start(request -> receiver.attempt(request) == 1 ? new HookReceiver.Answer(500, "")
                : HookReceiver.Answer.allow());
        hooks(4, false).notify(HookEvent.STOP, CAM1);
        receiver.await(r -> r.status() == 200, Duration.ofSeconds(5));
        Thread.sleep(1000);
        List<HookReceiver.Received> stops = receiver.received();
        assertEquals(List.of(500, 200), stops.stream().map(HookReceiver.Received::status).toList());
        assertEquals(stops.get(0).header("X-LiveShard-Delivery"), stops.get(1).header("X-LiveShard-Delivery"));
        assertEquals("stop", stops.get(1).field("event"));
    }

    @Test
    void aStopIsGivenUpAfterTheConfiguredRetries() throws Exception {
        receiver = HookReceiver.start(request -> new HookReceiver.Answer(503, ""));
        hooks(4, false).notify(HookEvent.STOP, CAM1);
        receiver.await(r -> receiver.received().size() >= 3, Duration.ofSeconds(5));
        Thread.sleep(1000);
        assertEquals(3, receiver.received().size(), "one attempt and two retries: " + receiver.describe());
    }

    @Test
    void anHlsViewerIsAskedOnlyOncePerViewerWindow() throws Exception {
        receiver = HookReceiver.start(request -> HookReceiver.Answer.allow());
        Webhooks hooks = hooks(4, false);
        HookRequest hls = new HookRequest(new StreamKey("live", "cam1"), "hls", "127.0.0.1", "127.0.0.1 ua",
                Map.of());
        for (int i = 0; i < 5; i++) {
            assertTrue(hooks.decidePlaylist(hls, "127.0.0.1 ua").toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .allowed());
        }
        assertTrue(hooks.decidePlaylist(hls, "127.0.0.1 other").toCompletableFuture().get(5, TimeUnit.SECONDS)
                .allowed());
        assertEquals(2, receiver.received().size(), receiver.describe());
    }

    @Test
    void noUrlsNoRequests() throws Exception {
        receiver = HookReceiver.start(request -> HookReceiver.Answer.allow());
        Webhooks none = Webhooks.none(new NodeMetrics(10));
        assertFalse(none.enabled(HookEvent.PLAY));
        assertTrue(none.decide(HookEvent.PUBLISH, CAM1).toCompletableFuture().isDone());
        none.notify(HookEvent.STOP, CAM1);
        assertEquals(0, receiver.received().size());
    }
}
