package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.Programs;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A second, independent RTMP publisher: GStreamer's {@code rtmp2sink} (its own handshake, chunking and command
 * sequence) publishes H.264 + AAC, and the real ffprobe reads it back over HTTP-FLV and RTMP.
 */
class GstreamerPublishTest {

    @Test
    void rtmp2sinkPublishesAndFfprobePlaysBack() throws Exception {
        StreamKey key = new StreamKey("live", "gst");
        try (LiveShardNode node = TestNode.start()) {
            Path log = Files.createTempFile("gst-publish", ".log");
            List<String> pipeline = List.of(Programs.gstLaunch(), "-e",
                    "videotestsrc", "is-live=true", "num-buffers=300", "!",
                    "video/x-raw,width=320,height=240,framerate=30/1", "!",
                    "x264enc", "tune=zerolatency", "speed-preset=veryfast", "key-int-max=30", "!",
                    "h264parse", "!", "queue", "!", "mux.",
                    "audiotestsrc", "is-live=true", "num-buffers=470", "!",
                    "audio/x-raw,rate=48000,channels=2", "!", "audioconvert", "!", "avenc_aac", "!", "aacparse", "!",
                    "queue", "!", "mux.",
                    "flvmux", "name=mux", "streamable=true", "!",
                    "rtmp2sink", "location=rtmp://127.0.0.1:" + node.rtmpPort() + "/live/gst");
            Process gst = new ProcessBuilder(pipeline).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                StreamProbe.awaitLiveWithGop(node, key);
                Ffprobe.Result flv = Ffprobe.probe("http://127.0.0.1:" + node.httpPort() + "/live/gst.flv", 2);
                Ffprobe.Result rtmp = Ffprobe.probe("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/gst", 2);
                for (Ffprobe.Result result : List.of(flv, rtmp)) {
                    result.assertH264AndAac(320, 240, 20, "gst-launch said:\n" + Files.readString(log));
                }
                assertTrue(gst.waitFor(30, TimeUnit.SECONDS), "gst-launch did not finish");
                assertEquals(0, gst.exitValue(), Files.readString(log));
            } finally {
                gst.destroyForcibly();
            }
        }
    }
}
