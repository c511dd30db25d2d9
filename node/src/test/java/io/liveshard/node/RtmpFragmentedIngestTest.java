package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.RawRtmpClient;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTag;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.media.StreamKey;
import io.liveshard.protocol.rtmp.RtmpChunkEncoder;
import io.liveshard.protocol.rtmp.RtmpMessageType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A publisher whose bytes arrive in tiny TCP segments, so chunk headers are split across reads: every media message
 * must still arrive. (The session leaves a split header unconsumed; the connection carries it into the next read.)
 */
class RtmpFragmentedIngestTest {

    private static final Path FIXTURE = Path.of("../protocol/src/test/resources/flv/testsrc2-320x240-15fps-aac.flv");

    @Test
    void everyMessageArrivesWhenHeadersAreSplitAcrossReads() throws Exception {
        List<FlvTag> tags = new ArrayList<>();
        FlvStreamReader reader = new FlvStreamReader();
        ByteBuffer flv = ByteBuffer.wrap(Files.readAllBytes(FIXTURE));
        while (reader.feed(flv) == FlvStreamReader.Result.TAG) {
            tags.add(reader.tag());
        }
        long media = tags.stream().filter(t -> t.type() != FlvTagType.SCRIPT).count();

        // The RTMP default chunk size of 128 makes many chunk headers; they are sent 7 bytes at a time.
        RtmpChunkEncoder encoder = new RtmpChunkEncoder(128);
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        for (FlvTag tag : tags) {
            if (tag.type() == FlvTagType.SCRIPT) {
                continue;
            }
            int typeId = tag.type() == FlvTagType.VIDEO ? RtmpMessageType.VIDEO.code() : RtmpMessageType.AUDIO.code();
            encoder.encode(tag.type() == FlvTagType.VIDEO ? 6 : 4, typeId, tag.timestamp(), 1, tag.body(),
                    chunks::write);
        }
        byte[] bytes = chunks.toByteArray();

        StreamKey key = new StreamKey("live", "fragments");
        try (LiveShardNode node = TestNode.start();
             RawRtmpClient publisher = RawRtmpClient.open(node.rtmpPort())) {
            publisher.handshake().connect("live").command(0, "createStream", 2.0, null)
                    .command(1, "publish", 3.0, null, "fragments", "live");
            StreamProbe.awaitStatus(node, key, s -> s.publishing(), Duration.ofSeconds(5), "published");
            for (int offset = 0; offset < bytes.length; offset += 7) {
                publisher.sendRaw(Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + 7)));
                if (offset % 70 == 0) {
                    Thread.sleep(1);
                }
            }
            var status = StreamProbe.awaitStatus(node, key, s -> s.stats().framesIn() >= media,
                    Duration.ofSeconds(10), "given every media message");
            assertEquals(media, status.stats().framesIn());
            assertTrue(status.stats().hasVideo() && status.stats().hasAudio());
        }
    }
}
