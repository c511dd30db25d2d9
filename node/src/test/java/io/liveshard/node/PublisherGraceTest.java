package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RtmpPlayer;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A publisher that drops and comes back within the grace period continues the same stream for its viewers, who
 * never reconnect and see timestamps that keep increasing; when no publisher returns, viewers get end-of-stream.
 */
class PublisherGraceTest {

    @Test
    void viewersRideOutAPublisherReconnectAndEndWhenNoneReturns() throws Exception {
        StreamKey key = new StreamKey("live", "grace");
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.stream.publisher-grace", "3s"))) {
            String url = "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/grace";
            FlvViewer flv;
            RtmpPlayer rtmp;
            try (FfmpegPublisher first = FfmpegPublisher.start(url, 3, 30)) {
                StreamProbe.awaitLiveWithGop(node, key);
                assertEquals(200, playlist(node).statusCode(), "HLS output started before the reconnect");
                flv = FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/grace.flv");
                rtmp = RtmpPlayer.play("127.0.0.1", node.rtmpPort(), "live", "grace");
                rtmp.awaitVideoFrames(10, Duration.ofSeconds(5));
                assertEquals(0, first.waitFor(20, TimeUnit.SECONDS), first.log());
            }
            long framesBeforeReconnect = flv.videoFrames();
            try (FfmpegPublisher second = FfmpegPublisher.start(url, 3, 30)) {
                StreamProbe.awaitStatus(node, key, s -> s.publishing(), Duration.ofSeconds(10), "republished");
                rtmp.awaitVideoFrames(rtmp.videoFrames() + 30, Duration.ofSeconds(10));
                assertEquals(0, second.waitFor(20, TimeUnit.SECONDS), second.log());
            }
            assertTrue(flv.videoFrames() > framesBeforeReconnect + 30,
                    "the HTTP-FLV viewer got the second publisher's frames on the same connection");
            assertMonotonic(flv.tags().stream().filter(FlvViewer.ReceivedTag::isVideoFrame)
                    .map(t -> t.tag().timestamp()).toList());
            assertMonotonic(rtmp.messages().stream().filter(RtmpPlayer.Received::isVideoFrame)
                    .map(m -> m.message().timestamp()).toList());
            assertFalse(rtmp.ended(), "the RTMP player stayed connected through the reconnect");
            String hls = playlist(node).body();
            assertTrue(hls.contains("#EXT-X-DISCONTINUITY\n"), "HLS marks the new publisher:\n" + hls);

            // Nobody returns now: after the grace period both viewers get end-of-stream.
            flv.awaitEnd(Duration.ofSeconds(10));
            rtmp.awaitEnd(Duration.ofSeconds(10));
            assertTrue(rtmp.statusCodes().contains("NetStream.Play.UnpublishNotify"), rtmp.statusCodes().toString());
            flv.close();
            rtmp.close();
        }
    }

    private static HttpResponse<String> playlist(LiveShardNode node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.httpPort() + "/live/grace.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertMonotonic(List<Long> timestamps) {
        for (int i = 1; i < timestamps.size(); i++) {
            assertTrue(timestamps.get(i) > timestamps.get(i - 1),
                    "timestamp went from " + timestamps.get(i - 1) + " to " + timestamps.get(i) + " at frame " + i);
        }
    }
}
