package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.ArtcClientLoop;
import io.liveshard.node.testkit.ArtcTestClient;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code liveshard.artc.candidates} may name a host (the public name of a node behind NAT or in a container): the
 * node resolves it and announces the address, which a client then plays from.
 */
class ArtcHostNameCandidateTest {

    private static final Path CHROMIUM_OFFER =
            Path.of("../protocol/src/test/resources/sdp/chromium-whep-recvonly-offer.sdp");
    private static final Pattern CANDIDATE = Pattern.compile("a=candidate:\\S+ 1 udp \\d+ (\\S+) (\\d+) typ host");

    @Test
    void aHostNameIsAnnouncedAsItsAddressAndAViewerPlaysFromIt() throws Exception {
        StreamKey key = new StreamKey("live", "named");
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.artc.candidates", List.of("localhost")));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/named", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + node.httpPort() + "/live/named/whep"))
                    .header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofString(Files.readString(CHROMIUM_OFFER))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, answer.statusCode(), answer.body());
            Matcher candidate = CANDIDATE.matcher(answer.body());
            assertTrue(candidate.find(), answer.body());
            assertEquals("127.0.0.1", candidate.group(1), "localhost announced as its IPv4 address (the socket is "
                    + "IPv4), not as a name: " + answer.body());
            assertEquals(node.artcPort(), Integer.parseInt(candidate.group(2)));
            assertTrue(!answer.body().contains("localhost"), answer.body());

            try (ArtcClientLoop loop = ArtcClientLoop.forTests();
                 ArtcTestClient viewer = ArtcTestClient.connect(loop, ArtcTestClient.Options.forTests(),
                         "127.0.0.1", node.httpPort(), "live", "named")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (viewer.videoPackets() < 60 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(viewer.videoPackets() >= 60, "video packets from the announced address: "
                        + viewer.videoPackets());
            }
        }
    }
}
