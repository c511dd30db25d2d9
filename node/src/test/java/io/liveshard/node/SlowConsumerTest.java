package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RawRtmpClient;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A viewer that stops reading overflows its own queue, loses frames up to keyframes, and is finally disconnected,
 * while a healthy viewer of the same stream gets every frame on time.
 */
class SlowConsumerTest {

    @Test
    void aViewerThatStopsReadingNeitherDelaysNorDropsFramesForAHealthyOne() throws Exception {
        StreamKey key = new StreamKey("live", "slow");
        try (LiveShardNode node = TestNode.start(Map.of(
                "liveshard.stream.subscriber.max-queued-frames", 60,
                "liveshard.stream.subscriber.max-drops", 2));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/slow", 40, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            try (FlvViewer healthy = FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/slow.flv");
                 Socket stalled = openAndNeverRead(node.httpPort(), "/live/slow.flv")) {
                StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("http-flv", 0) == 2,
                        Duration.ofSeconds(5), "watched by two viewers");
                StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("http-flv", 0) == 1,
                        Duration.ofSeconds(25), "rid of the stalled viewer");

                List<FlvViewer.ReceivedTag> frames = healthy.tags().stream()
                        .filter(FlvViewer.ReceivedTag::isVideoFrame).toList();
                assertTrue(frames.size() > 90, "healthy viewer got only " + frames.size() + " frames");
                for (int i = 1; i < frames.size(); i++) {
                    long step = frames.get(i).tag().timestamp() - frames.get(i - 1).tag().timestamp();
                    assertTrue(step > 0 && step <= 34, "healthy viewer lost frames between "
                            + frames.get(i - 1).tag().timestamp() + " and " + frames.get(i).tag().timestamp());
                }
                long firstArrival = frames.get(0).arrivedNanos();
                for (int i = 1; i < frames.size(); i++) {
                    // Compare arrival with media time: a healthy viewer is never held back behind the stalled one.
                    long mediaMillis = frames.get(i).tag().timestamp() - frames.get(0).tag().timestamp();
                    long arrivalMillis = (frames.get(i).arrivedNanos() - firstArrival) / 1_000_000;
                    assertTrue(mediaMillis - arrivalMillis < 1000,
                            "frame at " + mediaMillis + " ms arrived " + arrivalMillis + " ms after the first");
                }
                assertEquals(null, healthy.failure());
            }
        }
    }

    @Test
    void anRtmpPlayerThatStopsReadingIsDisconnectedWhileAnotherKeepsPlaying() throws Exception {
        StreamKey key = new StreamKey("live", "slowrtmp");
        try (LiveShardNode node = TestNode.start(Map.of(
                "liveshard.stream.subscriber.max-queued-frames", 60,
                "liveshard.stream.subscriber.max-drops", 2));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/slowrtmp", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            try (RtmpPlayer healthy = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "slowrtmp");
                 RawRtmpClient stalled = RawRtmpClient.open(node.rtmpPort(), 4096)) {
                stalled.handshake().connect("live").command(0, "createStream", 2.0, null)
                        .command(1, "play", 3.0, null, "slowrtmp");
                StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("rtmp", 0) == 2,
                        Duration.ofSeconds(5), "watched by two RTMP players");
                StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("rtmp", 0) == 1,
                        Duration.ofSeconds(40), "rid of the stalled player");
                long before = healthy.videoFrames();
                healthy.awaitVideoFrames(before + 30, Duration.ofSeconds(5));
                List<Long> timestamps = healthy.messages().stream().filter(RtmpPlayer.Received::isVideoFrame)
                        .map(m -> m.message().timestamp()).toList();
                for (int i = 1; i < timestamps.size(); i++) {
                    long step = timestamps.get(i) - timestamps.get(i - 1);
                    assertTrue(step > 0 && step <= 34, "healthy player lost frames between "
                            + timestamps.get(i - 1) + " and " + timestamps.get(i));
                }
            }
        }
    }

    private static Socket openAndNeverRead(int port, String path) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }
}
