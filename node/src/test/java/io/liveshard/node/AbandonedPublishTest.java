package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.fail;

import io.liveshard.node.testkit.RawRtmpClient;
import io.liveshard.node.testkit.TestNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A publisher that asks to publish and goes away before the stream answers must not hold the stream: the stream
 * accepted a publisher whose connection no longer exists, and nothing but that connection would ever let it go.
 */
class AbandonedPublishTest {

    private static final int QUITTERS = 5;

    @Test
    void aPublisherThatLeavesBeforeTheAnswerLeavesTheStreamFree() throws Exception {
        try (LiveShardNode node = TestNode.start()) {
            for (int i = 0; i < QUITTERS; i++) {
                // The socket closes right after the publish command, long before the stream entity's answer.
                publish(node.rtmpPort()).close();
            }
            // The quitters' publishes are answered and let go in their own time: a publisher may find the stream
            // still held for a moment, but never for good.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String answer = "";
            while (System.nanoTime() < deadline) {
                try (RawRtmpClient publisher = publish(node.rtmpPort())) {
                    publisher.awaitText("NetStream.Publish.", Duration.ofSeconds(5));
                    answer = publisher.receivedText();
                }
                if (answer.contains("NetStream.Publish.Start")) {
                    return;
                }
                Thread.sleep(200);
            }
            fail("no publisher was accepted within 10 s of " + QUITTERS + " abandoned publishes; the last answer: "
                    + answer.replaceAll("[^\\p{Print}]", "."));
        }
    }

    private static RawRtmpClient publish(int port) throws IOException {
        return RawRtmpClient.open(port).handshake().connect("live").command(0, "createStream", 2.0, null)
                .command(1, "publish", 3.0, null, "abandoned", "live");
    }
}
