package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The foundation end to end: a real ffmpeg publishes H.264 + AAC over RTMP, and the real ffprobe reads the stream
 * back over RTMP and over HTTP-FLV, finding both tracks with the published resolution and frame rate.
 */
class PlaybackTest {

    private static LiveShardNode node;

    @BeforeAll
    static void startNode() throws Exception {
        node = TestNode.start();
    }

    @AfterAll
    static void stopNode() throws Exception {
        node.close();
    }

    @Test
    void rtmpAndHttpFlvCarryWhatFfmpegPublished() throws Exception {
        StreamKey key = new StreamKey("live", "playback");
        try (FfmpegPublisher publisher = FfmpegPublisher.start(
                "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/playback", 10, 60)) {
            StreamProbe.awaitLiveWithGop(node, key);
            CompletableFuture<Ffprobe.Result> overRtmp = CompletableFuture.supplyAsync(() -> probe(
                    "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/playback"));
            CompletableFuture<Ffprobe.Result> overFlv = CompletableFuture.supplyAsync(() -> probe(
                    "http://127.0.0.1:" + node.httpPort() + "/live/playback.flv"));
            assertPublishedMedia(overRtmp.get(60, TimeUnit.SECONDS), publisher);
            assertPublishedMedia(overFlv.get(60, TimeUnit.SECONDS), publisher);
            assertEquals(0, publisher.waitFor(30, TimeUnit.SECONDS), "ffmpeg publish failed:\n" + publisher.log());
        }
    }

    private static Ffprobe.Result probe(String url) {
        try {
            return Ffprobe.probe(url, 3);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertPublishedMedia(Ffprobe.Result result, FfmpegPublisher publisher) {
        String context = "ffprobe said:\n" + result.output() + "\nffmpeg said:\n" + publisher.log();
        assertEquals(0, result.exitCode(), context);
        Ffprobe.ProbedStream video = result.stream("video");
        assertEquals("h264", video.get("codec_name"), context);
        assertEquals("640", video.get("width"), context);
        assertEquals("360", video.get("height"), context);
        assertEquals("30/1", video.get("r_frame_rate"), context);
        assertTrue(Integer.parseInt(video.get("nb_read_frames")) >= 30, "under a second of video read; " + context);
        Ffprobe.ProbedStream audio = result.stream("audio");
        assertEquals("aac", audio.get("codec_name"), context);
        assertEquals("48000", audio.get("sample_rate"), context);
        assertTrue(Integer.parseInt(audio.get("nb_read_frames")) >= 40, "under a second of audio read; " + context);
    }
}
