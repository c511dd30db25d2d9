package io.liveshard.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A writer that throws is ended, and the writers that were ready with it on the same loop still write. */
class EventLoopWriterFailureTest {

    @Test
    void aFailingWriterIsEndedAndTheOthersOnItsLoopStillWrite() throws Exception {
        try (EventLoops loops = EventLoops.start("writer-failure", 1, Duration.ZERO)) {
            EventLoop loop = loops.next();
            CountDownLatch allWrote = new CountDownLatch(2);
            CountingWriter healthy = new CountingWriter(allWrote);
            FailingWriter failing = new FailingWriter();
            CountingWriter after = new CountingWriter(allWrote);
            // One turn of the loop with all three on its list: the failing one between the two others.
            loop.execute(() -> {
                loop.readyNow(healthy);
                loop.readyNow(failing);
                loop.readyNow(after);
            });
            assertTrue(allWrote.await(5, TimeUnit.SECONDS), "both healthy writers wrote");
            assertEquals(1, after.writes.get(), "the writer after the failing one wrote");
            assertTrue(failing.ended.get() instanceof IllegalStateException, "the failing writer was ended");

            // The loop goes on, and so does the writer that came after the failure.
            CountDownLatch again = new CountDownLatch(1);
            after.latch = again;
            loop.readyNow(after);
            assertTrue(again.await(5, TimeUnit.SECONDS), "the loop still lets writers write");
            assertEquals(2, after.writes.get());
        }
    }

    private static final class CountingWriter implements EventLoop.Writer {
        final AtomicInteger writes = new AtomicInteger();
        volatile CountDownLatch latch;

        CountingWriter(CountDownLatch latch) {
            this.latch = latch;
        }

        @Override
        public void writeReady() {
            writes.incrementAndGet();
            latch.countDown();
        }

        @Override
        public void writeFailed(RuntimeException cause) {
            throw new AssertionError("a healthy writer was ended", cause);
        }
    }

    private static final class FailingWriter implements EventLoop.Writer {
        final AtomicReference<RuntimeException> ended = new AtomicReference<>();

        @Override
        public void writeReady() {
            throw new IllegalStateException("a writer's bug");
        }

        @Override
        public void writeFailed(RuntimeException cause) {
            ended.set(cause);
        }
    }
}
