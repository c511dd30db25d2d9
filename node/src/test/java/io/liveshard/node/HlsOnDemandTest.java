package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HLS costs nothing until asked for: a stream has no HLS subscriber before the first playlist request, gets one
 * (per flavour) with it, and loses it again after the idle timeout without requests.
 */
class HlsOnDemandTest {

    @Test
    void hlsOutputsStartOnRequestAndStopWhenIdle() throws Exception {
        StreamKey key = new StreamKey("live", "ondemand");
        try (LiveShardNode node = TestNode.start(Map.of(
                "liveshard.hls.idle-timeout", "3s",
                "liveshard.hls.sweep-interval", "500ms"));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/ondemand", 30, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            assertEquals(0, node.streams().status(key).toCompletableFuture().get().stats().subscribers(),
                    "no HLS work before anyone asks");

            HttpClient http = HttpClient.newHttpClient();
            String[][] flavours = {{"/live/ondemand.m3u8", "hls"}, {"/live/ondemand/ll.m3u8", "ll-hls"}};
            for (String[] flavour : flavours) {
                HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort() + flavour[0])).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, playlist.statusCode(), playlist.body());
                assertEquals(1, node.streams().status(key).toCompletableFuture().get().viewers()
                        .getOrDefault(flavour[1], 0), "one " + flavour[1] + " muxer subscribed");
            }
            StreamProbe.awaitStatus(node, key, s -> s.stats().subscribers() == 0, Duration.ofSeconds(10),
                    "rid of its idle HLS muxers");
        }
    }
}
