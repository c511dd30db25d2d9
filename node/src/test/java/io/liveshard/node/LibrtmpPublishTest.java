package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.LibrtmpPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * librtmp publishes, as OBS's RTMP output (a librtmp fork) does: its handshake, connect, releaseStream, FCPublish,
 * createStream and publish, metadata as {@code @setDataFrame}, then FCUnpublish and deleteStream at the end. The
 * real ffprobe reads the stream back over HTTP-FLV and RTMP, and the publisher finishes without an error.
 */
class LibrtmpPublishTest {

    private static final int SECONDS = 15;

    @Test
    void librtmpPublishesAndFfprobePlaysBack() throws Exception {
        StreamKey key = new StreamKey("live", "librtmp");
        try (LiveShardNode node = TestNode.start();
             LibrtmpPublisher publisher = LibrtmpPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/librtmp", SECONDS)) {
            StreamProbe.awaitLiveWithGop(node, key);
            Ffprobe.Result flv = Ffprobe.probe("http://127.0.0.1:" + node.httpPort() + "/live/librtmp.flv", 2);
            Ffprobe.Result rtmp = Ffprobe.probe("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/librtmp", 2);
            for (Ffprobe.Result result : List.of(flv, rtmp)) {
                result.assertH264AndAac(320, 240, 20, publisher.log());
            }
            assertEquals(0, publisher.waitFor(SECONDS + 20, TimeUnit.SECONDS), publisher.log());
            assertTrue(publisher.log().contains("librtmp_publish: published"), publisher.log());
            assertFalse(publisher.log().contains("ERROR:"), "librtmp logged an error: " + publisher.log());
            StreamProbe.awaitStatus(node, key, status -> !status.publishing() && status.inGrace(),
                    Duration.ofSeconds(10), "left by its publisher");
        }
    }
}
