package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.FlvViewer;
import io.liveshard.node.testkit.RawRtmpClient;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import io.liveshard.protocol.rtmp.RtmpMessageType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input a client can send gets a refusal and a closed connection, and never disturbs the other
 * streams: throughout, a real ffmpeg publishes {@code live/healthy} and an HTTP-FLV viewer must keep receiving it
 * after each case.
 */
class BadInputTest {

    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
    private static LiveShardNode node;
    private static FfmpegPublisher publisher;
    private static FlvViewer healthyViewer;

    @BeforeAll
    static void startHealthyStream() throws Exception {
        node = TestNode.start(Map.of(
                "liveshard.rtmp.handshake-timeout", "2s",
                "liveshard.rtmp.max-message-size", "1 MiB"));
        publisher = FfmpegPublisher.start("rtmp://127.0.0.1:" + node.rtmpPort() + "/live/healthy", 120, 30);
        StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "healthy"));
        healthyViewer = FlvViewer.open("http://127.0.0.1:" + node.httpPort() + "/live/healthy.flv");
        healthyViewer.awaitTags(10, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() throws Exception {
        healthyViewer.close();
        publisher.close();
        node.close();
    }

    @AfterEach
    void healthyStreamKeepsDelivering() throws InterruptedException {
        long before = healthyViewer.videoFrames();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (healthyViewer.videoFrames() < before + 15 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(healthyViewer.videoFrames() >= before + 15, "the healthy viewer stalled: "
                + healthyViewer.videoFrames() + " frames, failure " + healthyViewer.failure() + "\nffmpeg said:\n"
                + publisher.log());
        assertTrue(publisher.isAlive(), "the healthy publisher died:\n" + publisher.log());
    }

    /** What a bad client does; returns the client so the test can watch the connection. */
    interface Misbehaviour {
        RawRtmpClient perform(int rtmpPort) throws IOException;
    }

    static Stream<Arguments> refusedAndClosed() {
        return Stream.of(
                Arguments.of("garbage instead of a handshake", (Misbehaviour) port -> RawRtmpClient.open(port)
                        .sendRaw(garbage(4000))),
                Arguments.of("truncated handshake", (Misbehaviour) port -> RawRtmpClient.open(port)
                        .sendRaw(prefixedC1(700))),
                Arguments.of("chunk size 0", (Misbehaviour) port -> connected(port)
                        .send(2, RtmpMessageType.SET_CHUNK_SIZE.code(), 0, int32(0))),
                Arguments.of("chunk size above 16 MiB", (Misbehaviour) port -> connected(port)
                        .send(2, RtmpMessageType.SET_CHUNK_SIZE.code(), 0, int32(16 * 1024 * 1024 + 1))),
                Arguments.of("message over the maximum size", (Misbehaviour) port -> connected(port)
                        .sendRaw(videoChunkHeaderDeclaring(2 * 1024 * 1024))),
                Arguments.of("AMF nested deeper than the limit", (Misbehaviour) port -> RawRtmpClient.open(port)
                        .handshake().command(0, "connect", 1.0, nested(40))),
                Arguments.of("unknown message type", (Misbehaviour) port -> connected(port)
                        .send(3, 99, 0, new byte[] {1, 2, 3})),
                Arguments.of("publish without connect", (Misbehaviour) port -> RawRtmpClient.open(port)
                        .handshake().command(1, "publish", 5.0, null, "sneaky", "live")),
                Arguments.of("play of a stream name with ..", (Misbehaviour) port -> connected(port)
                        .command(0, "createStream", 2.0, null).command(1, "play", 3.0, null, "../../etc/passwd")),
                Arguments.of("play of a stream name with control characters", (Misbehaviour) port -> connected(port)
                        .command(0, "createStream", 2.0, null).command(1, "play", 3.0, null, "cam\u0001\n1")),
                Arguments.of("publish of a stream name with ..", (Misbehaviour) port -> connected(port)
                        .command(0, "createStream", 2.0, null).command(1, "publish", 3.0, null, "..", "live")),
                Arguments.of("second publisher of a live stream", (Misbehaviour) port -> connected(port)
                        .command(0, "createStream", 2.0, null).command(1, "publish", 3.0, null, "healthy", "live")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedAndClosed")
    void refusedWithAClosedConnection(String name, Misbehaviour misbehaviour) throws Exception {
        try (RawRtmpClient client = misbehaviour.perform(node.rtmpPort())) {
            assertTrue(client.awaitClosedByServer(CLOSE_BOUND), name + ": the server kept the connection open");
        }
    }

    @ParameterizedTest(name = "{0} answers NetStream.Publish.BadName")
    @MethodSource("publishRefusals")
    void publishRefusalsSayBadName(String name, Misbehaviour misbehaviour) throws Exception {
        try (RawRtmpClient client = misbehaviour.perform(node.rtmpPort())) {
            assertTrue(client.awaitClosedByServer(CLOSE_BOUND));
            assertTrue(client.receivedText().contains("NetStream.Publish.BadName"), client.receivedText());
        }
    }

    static Stream<Arguments> publishRefusals() {
        return refusedAndClosed().filter(a -> ((String) a.get()[0]).startsWith("publish of")
                || ((String) a.get()[0]).startsWith("second publisher"));
    }

    @ParameterizedTest(name = "{0} answers NetStream.Play.StreamNotFound")
    @MethodSource("playRefusals")
    void playRefusalsSayStreamNotFound(String name, Misbehaviour misbehaviour) throws Exception {
        try (RawRtmpClient client = misbehaviour.perform(node.rtmpPort())) {
            assertTrue(client.awaitClosedByServer(CLOSE_BOUND));
            assertTrue(client.receivedText().contains("NetStream.Play.StreamNotFound"), client.receivedText());
        }
    }

    static Stream<Arguments> playRefusals() {
        return refusedAndClosed().filter(a -> ((String) a.get()[0]).startsWith("play of"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownCommands")
    void unknownCommandsGetAnErrorAndTheConnectionStays(String name, String command) throws Exception {
        try (RawRtmpClient client = connected(node.rtmpPort())) {
            client.command(0, command, 7.0, null);
            assertFalse(client.awaitClosedByServer(Duration.ofSeconds(1)), "closed after " + name);
            assertTrue(client.receivedText().contains("_error"), client.receivedText());
        }
    }

    static Stream<Arguments> unknownCommands() {
        return Stream.of(Arguments.of("a made-up command", "fooBar"),
                Arguments.of("an empty command name", ""));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @MethodSource("badHttpRequests")
    void badHttpRequestsGetAClearStatus(String path, int status) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        assertFalse(response.body().isBlank(), "a refusal says why");
    }

    static Stream<Arguments> badHttpRequests() {
        return Stream.of(
                Arguments.of("/live/..%2F..%2Fetc%2Fpasswd.flv", 400),
                Arguments.of("/live/%2E%2E.flv", 400),
                Arguments.of("/live/cam%01.flv", 400),
                Arguments.of("/..%2F/x.flv", 400),
                Arguments.of("/live/nobody.flv", 404),
                Arguments.of("/live/" + "x".repeat(300) + ".flv", 400),
                Arguments.of("/no/such/thing", 404));
    }

    private static RawRtmpClient connected(int port) throws IOException {
        return RawRtmpClient.open(port).handshake().connect("live");
    }

    private static byte[] garbage(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        byte[] http = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(http, 0, bytes, 0, http.length);
        return bytes;
    }

    private static byte[] prefixedC1(int c1Bytes) {
        byte[] bytes = new byte[1 + c1Bytes];
        bytes[0] = 3;
        return bytes;
    }

    private static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    /** A type-0 chunk header for a video message of {@code length} bytes on chunk stream 6. */
    private static byte[] videoChunkHeaderDeclaring(int length) {
        return new byte[] {0x06, 0, 0, 0, (byte) (length >> 16), (byte) (length >> 8), (byte) length,
                (byte) RtmpMessageType.VIDEO.code(), 1, 0, 0, 0};
    }

    private static Map<String, Object> nested(int depth) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> current = root;
        for (int i = 0; i < depth; i++) {
            Map<String, Object> child = new LinkedHashMap<>();
            current.put("n", child);
            current = child;
        }
        return root;
    }
}
