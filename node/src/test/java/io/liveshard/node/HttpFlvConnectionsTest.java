package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTag;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.media.StreamKey;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP-FLV on both of the HTTP port's paths, byte by byte over raw sockets: a connection whose first request plays
 * the stream (served from the socket's event loop) and a kept-alive connection that asks for the stream after an API
 * call (served through Pekko HTTP). Both must be valid HTTP/1.1 chunked responses carrying the FLV header, the
 * codec configurations and a keyframe first.
 */
class HttpFlvConnectionsTest {

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
    void theStreamIsTheSameWhetherItIsTheConnectionsFirstRequestOrNot() throws Exception {
        StreamKey key = new StreamKey("live", "connections");
        try (FfmpegPublisher publisher = FfmpegPublisher.start(
                "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/connections", 30, 60)) {
            StreamProbe.awaitLiveWithGop(node, key);
            try (Socket direct = connect(); Socket keptAlive = connect()) {
                send(keptAlive, "GET /api/v1/time HTTP/1.1\r\nHost: test\r\n\r\n");
                InputStream apiIn = new BufferedInputStream(keptAlive.getInputStream());
                List<String> apiHead = head(apiIn);
                assertEquals("HTTP/1.1 200 OK", apiHead.get(0));
                int length = Integer.parseInt(header(apiHead, "Content-Length"));
                assertTrue(new String(apiIn.readNBytes(length), StandardCharsets.UTF_8).contains("serverTimeMillis"));

                send(direct, "GET /live/connections.flv HTTP/1.1\r\nHost: test\r\nOrigin: https://a.example\r\n\r\n");
                send(keptAlive, "GET /live/connections.flv HTTP/1.1\r\nHost: test\r\n\r\n");
                for (InputStream in : List.of(new BufferedInputStream(direct.getInputStream()), apiIn)) {
                    List<String> flvHead = head(in);
                    assertEquals("HTTP/1.1 200 OK", flvHead.get(0), String.join("\n", flvHead));
                    assertEquals("video/x-flv", header(flvHead, "Content-Type"));
                    assertEquals("chunked", header(flvHead, "Transfer-Encoding"));
                    assertEquals("*", header(flvHead, "Access-Control-Allow-Origin"));
                    List<FlvTag> tags = tags(in, 40);
                    FlvTag firstFrame = tags.stream()
                            .filter(tag -> tag.type() == FlvTagType.VIDEO && tag.body()[1] == 1)
                            .findFirst().orElseThrow();
                    assertEquals(0x17, firstFrame.body()[0] & 0xFF, "the first video frame is a keyframe");
                    assertTrue(tags.stream().anyMatch(tag -> tag.type() == FlvTagType.VIDEO && tag.body()[1] == 0),
                            "the AVC sequence header is there");
                    assertTrue(tags.stream().anyMatch(tag -> tag.type() == FlvTagType.AUDIO),
                            "audio is there");
                }
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", node.httpPort());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static List<String> head(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while (!(line = line(in)).isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    private static String header(List<String> head, String name) {
        return head.stream().filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(line -> line.substring(name.length() + 1).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + head));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed in a line");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Reads chunks until {@code count} FLV tags came out of them. */
    private static List<FlvTag> tags(InputStream in, int count) throws IOException {
        FlvStreamReader flv = new FlvStreamReader();
        List<FlvTag> tags = new ArrayList<>();
        while (tags.size() < count) {
            int size = Integer.parseInt(line(in), 16);
            assertTrue(size > 0, "the body does not end while the stream is live");
            ByteBuffer data = ByteBuffer.wrap(in.readNBytes(size));
            assertEquals("", line(in), "a chunk ends with CRLF");
            FlvStreamReader.Result result;
            while ((result = flv.feed(data)) == FlvStreamReader.Result.TAG) {
                tags.add(flv.tag());
            }
            assertTrue(result != FlvStreamReader.Result.BAD_MESSAGE, "valid FLV");
        }
        return tags;
    }
}
