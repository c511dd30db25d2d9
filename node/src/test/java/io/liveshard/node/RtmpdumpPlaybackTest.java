package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.Programs;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * librtmp as a player: rtmpdump (librtmp's own client, with its Flash Player 9 handshake, its FCSubscribe, connect
 * and play sequence and its reading of the replies) records a live stream published by the real ffmpeg for four
 * seconds, without a complaint about the server, and ffprobe finds the published H.264 and AAC in what it wrote.
 */
class RtmpdumpPlaybackTest {

    @TempDir
    Path tempDir;

    private static final int RECORD_SECONDS = 4;

    @Test
    void rtmpdumpRecordsTheLiveStream() throws Exception {
        StreamKey key = new StreamKey("live", "rtmpdump");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/rtmpdump", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            Path file = tempDir.resolve("received.flv");
            Path log = tempDir.resolve("rtmpdump.log");
            Process rtmpdump = new ProcessBuilder(Programs.rtmpdump(),
                    "-r", "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/rtmpdump", "--live", "--timeout", "10",
                    "-o", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                // A live recording runs until stopped (librtmp sends --stop as a play start, which live ignores);
                // on SIGTERM rtmpdump finishes its file and exits.
                assertFalse(rtmpdump.waitFor(RECORD_SECONDS, TimeUnit.SECONDS),
                        "rtmpdump ended early:\n" + Files.readString(log));
                rtmpdump.destroy();
                assertTrue(rtmpdump.waitFor(10, TimeUnit.SECONDS), "rtmpdump did not stop on SIGTERM");
            } finally {
                rtmpdump.destroyForcibly();
            }
            String said = Files.readString(log);
            String context = "rtmpdump said:\n" + said;
            assertTrue(said.contains("Starting Live Stream"), context);
            assertFalse(said.contains("ERROR: rtmp server sent error"), context);
            assertTrue(Files.size(file) > 0, "nothing recorded; " + context);
            Ffprobe.probe(file.toString(), 10).assertH264AndAac(640, 360, 60, context);
        }
    }
}
