package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.node.testkit.VlcRecorder;
import io.liveshard.protocol.media.StreamKey;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's promise that VLC plays a stream: the real VLC opens the stream over RTMP and over HTTP-FLV for four
 * seconds and remuxes what it got to a file, in which ffprobe finds the published H.264 and AAC.
 */
class VlcPlaybackTest {

    private static LiveShardNode node;
    private static FfmpegPublisher publisher;

    @BeforeAll
    static void startNodeAndPublisher() throws Exception {
        node = TestNode.start();
        publisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/vlc", 60, 30);
        StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "vlc"));
    }

    @AfterAll
    static void stop() throws Exception {
        publisher.close();
        node.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rtmp", "http-flv"})
    void vlcPlaysTheStream(String protocol) throws Exception {
        String url = protocol.equals("rtmp") ? "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/vlc"
                : "http://127.0.0.1:" + node.httpPort() + "/live/vlc.flv";
        VlcRecorder.Recording recording = VlcRecorder.record(url, 4);
        String context = "vlc said:\n" + recording.log();
        assertTrue(Files.exists(recording.file()) && Files.size(recording.file()) > 0, "nothing recorded; " + context);
        Ffprobe.Result probed = Ffprobe.probe(recording.file().toString(), 10);
        context += "\nffprobe said:\n" + probed.output();
        assertEquals("h264", probed.stream("video").get("codec_name"), context);
        assertEquals("640", probed.stream("video").get("width"), context);
        assertEquals("360", probed.stream("video").get("height"), context);
        assertEquals("aac", probed.stream("audio").get("codec_name"), context);
        assertTrue(Integer.parseInt(probed.stream("video").get("nb_read_frames")) >= 60,
                "under two seconds of video in four; " + context);
    }
}
