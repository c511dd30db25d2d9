package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.NodeJs;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * artc interop with a second, independent WebRTC implementation: werift (pure TypeScript, from the npm registry,
 * pinned by {@code node/src/test/js/werift-whep/package-lock.json}) plays an RTMP stream published by the real ffmpeg
 * over WHEP. The client ({@code whep-client.mjs}) offers recvonly video (H.264) and audio, completes ICE against the
 * node's ICE-lite agent and DTLS-SRTP as the DTLS client, counts the H.264 RTP it decrypts, DELETEs the session and
 * reports one JSON line, which this test judges.
 *
 * <p>It also checks that werift takes the answer as it is (no fix-ups by the client: transport attributes are at
 * session level too) and that its video track receives the packets (the answer announces the SSRC, which werift
 * routes by), and that the Opus transcoded from the publisher's AAC arrives on the offer's opus payload type.
 */
class WeriftWhepTest {

    private static final String HARNESS = "werift-whep";
    private static final int RECEIVE_SECONDS = 6;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(RECEIVE_SECONDS + 40);

    @Test
    void weriftPlaysAnRtmpStreamOverWhep() throws Exception {
        Path dir = NodeJs.harnessDir(HARNESS);
        NodeJs.ensureInstalled(dir, Path.of("node_modules", "werift", "package.json"));
        StreamKey key = new StreamKey("live", "werift");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/werift", 40, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            String whepUrl = "http://127.0.0.1:" + node.httpPort() + "/live/werift/whep";

            NodeJs.Run run = NodeJs.run(dir, CLIENT_TIMEOUT, "whep-client.mjs", whepUrl,
                    Integer.toString(RECEIVE_SECONDS));
            String line = run.lastJsonLine();
            assertFalse(line.isEmpty(), "the werift client printed no JSON line; " + run);
            JsonNode report = new ObjectMapper().readTree(line);
            System.out.println("werift WHEP client: " + line);
            assertEquals(0, run.exitCode(), "the werift client failed; " + run);
            assertFalse(report.has("error"), "the werift client reported an error; " + run);

            assertEquals("connected", report.path("state").asText(), line);
            assertTrue(report.path("packets").asLong() > 200, "H.264 RTP packets received: " + line);
            assertTrue(report.path("frames").asLong() >= 60, "distinct RTP timestamps (frames): " + line);
            assertTrue(report.path("keyframes").asLong() >= 1, "keyframes received: " + line);
            JsonNode firstPacket = report.path("firstPacketMs");
            assertTrue(firstPacket.isNumber() && firstPacket.asLong() <= 3000, "first packet within 3 s: " + line);
            assertEquals(200, report.path("deleteStatus").asInt(), "DELETE of the session: " + line);
            assertTrue(report.path("answerFixups").isEmpty(), "werift took the answer as it is: " + line);
            assertTrue(report.path("trackPackets").asLong() > 200, "werift's track got the video: " + line);
            // Opus transcoded from the publisher's AAC, on the offer's opus payload type (111), 50 packets a second.
            assertFalse(report.path("audioDeclined").asBoolean(true), "audio accepted: " + line);
            assertTrue(report.path("audioPackets").asLong() > RECEIVE_SECONDS * 50 / 2, "Opus RTP received: " + line);
            assertEquals("[111]", report.path("audioPayloadTypes").toString(), line);

            StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("artc", 0) == 0, Duration.ofSeconds(5),
                    "left by the werift artc viewer");
        }
    }
}
