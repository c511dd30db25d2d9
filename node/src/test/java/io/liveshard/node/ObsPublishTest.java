package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.ArtcClientLoop;
import io.liveshard.node.testkit.ArtcTestClient;
import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.ObsPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real OBS Studio (under a virtual X server) streams to the node as a streamer sets it up: custom service
 * {@code rtmp://HOST:PORT/live}, stream key {@code obs}, Simple output with x264 and AAC. ffprobe reads H.264
 * 640x360 at 30 fps and AAC at 48 kHz back over RTMP and HTTP-FLV, and an artc viewer gets H.264 and the Opus made
 * from OBS's AAC.
 */
class ObsPublishTest {

    /** OBS starts its Qt window, its graphics and its encoders before it connects: allow for a slow machine. */
    private static final Duration OBS_START = Duration.ofSeconds(60);

    @Test
    void obsStreamsAndEveryProtocolPlaysIt() throws Exception {
        StreamKey key = new StreamKey("live", "obs");
        try (LiveShardNode node = TestNode.start();
             ObsPublisher obs = ObsPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live", "obs")) {
            StreamProbe.awaitStatus(node, key, status -> status.publishing() && status.stats().gopCacheFrames() > 0
                    && status.stats().hasAudio() && status.stats().hasVideo(), OBS_START, "live from OBS");
            Ffprobe.Result flv = Ffprobe.probe("http://127.0.0.1:" + node.httpPort() + "/live/obs.flv", 2);
            Ffprobe.Result rtmp = Ffprobe.probe("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/obs", 2);
            for (Ffprobe.Result result : List.of(flv, rtmp)) {
                String context = result.output() + "\nOBS said:\n" + obs.log();
                result.assertH264AndAac(640, 360, 30, context);
                assertEquals("30/1", result.stream("video").get("r_frame_rate"), context);
                assertEquals("48000", result.stream("audio").get("sample_rate"), context);
            }
            try (ArtcClientLoop loop = ArtcClientLoop.forTests();
                 ArtcTestClient viewer = ArtcTestClient.connect(loop, ArtcTestClient.Options.forTests(), "127.0.0.1",
                         node.httpPort(), key.app(), key.stream())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while ((viewer.videoPackets() < 30 || viewer.audioPackets() < 50) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                String context = "artc: video " + viewer.videoPackets() + ", audio " + viewer.audioPackets()
                        + " packets\nOBS said:\n" + obs.log();
                assertTrue(viewer.videoPackets() >= 30 && viewer.audioPackets() >= 50, context);
                assertTrue(viewer.audioPayloadType() >= 0, "no Opus in the answer; " + context);
                assertEquals(0, viewer.refusedPackets(), context);
            }
        }
    }
}
