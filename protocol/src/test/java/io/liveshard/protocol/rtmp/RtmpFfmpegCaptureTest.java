package io.liveshard.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.amf.Amf0EcmaArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays what ffmpeg 5.1 sent when publishing to a real RTMP server (see {@code rtmp/README.txt} next to the
 * fixture for how it was captured).
 */
class RtmpFfmpegCaptureTest {

    private static byte[] capture;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = RtmpFfmpegCaptureTest.class.getResourceAsStream("/rtmp/ffmpeg-publish-client.bin")) {
            capture = in.readAllBytes();
        }
    }

    /** Feeds the capture in pieces of the given sizes, as reads from a socket would deliver it. */
    private static RtmpRecordingListener replay(int maxPiece, long seed) {
        RtmpRecordingListener listener = new RtmpRecordingListener();
        RtmpServerSession session = new RtmpServerSession(RtmpLimits.defaults(), listener, (a, o, l) -> { });
        listener.session = session;
        Random random = new Random(seed);
        ByteBuffer buffer = ByteBuffer.allocate(capture.length);
        int position = 0;
        while (position < capture.length) {
            int piece = Math.min(capture.length - position, 1 + random.nextInt(maxPiece));
            buffer.put(capture, position, piece).flip();
            position += piece;
            assertTrue(session.onBytes(buffer), session.failureReason());
            buffer.compact();
        }
        return listener;
    }

    @Test
    void ffmpegPublishIsUnderstood() {
        RtmpRecordingListener listener = replay(capture.length, 1);
        assertEquals("connect live rtmp://127.0.0.1:19351/live", listener.events.get(0));
        assertEquals("publish live/cam1 ?", listener.events.get(1));
        // ffmpeg ends with FCUnpublish and deleteStream: one close, nothing else worth a notice.
        assertEquals(List.of("closed"), listener.events.subList(2, listener.events.size()));

        List<RtmpMessage> media = listener.media;
        RtmpMessage metadata = media.get(0);
        assertEquals(RtmpMessageType.DATA_AMF0.code(), metadata.typeId());
        List<Object> values = RtmpTestPeer.amf(metadata);
        assertEquals("onMetaData", values.get(0));
        Amf0EcmaArray properties = assertInstanceOf(Amf0EcmaArray.class, values.get(1));
        assertEquals(160.0, properties.get("width"));
        assertEquals(120.0, properties.get("height"));

        RtmpMessage firstVideo = media.stream().filter(m -> m.typeId() == 9).findFirst().orElseThrow();
        assertEquals(0x17, firstVideo.payload()[0] & 0xFF, "AVC keyframe");
        assertEquals(0, firstVideo.payload()[1], "AVC sequence header");
        RtmpMessage firstAudio = media.stream().filter(m -> m.typeId() == 8).findFirst().orElseThrow();
        assertEquals(0xAF, firstAudio.payload()[0] & 0xFF, "AAC 44 kHz stereo");
        assertEquals(0, firstAudio.payload()[1], "AAC sequence header");

        long videoFrames = media.stream().filter(m -> m.typeId() == 9).count();
        long audioFrames = media.stream().filter(m -> m.typeId() == 8).count();
        assertTrue(videoFrames >= 20, "video messages: " + videoFrames);
        assertTrue(audioFrames >= 40, "audio messages: " + audioFrames);
        long lastVideo = media.stream().filter(m -> m.typeId() == 9).mapToLong(RtmpMessage::timestamp).max()
                .orElseThrow();
        assertTrue(lastVideo > 1000, "two seconds of video, last at " + lastVideo + " ms");
    }

    @Test
    void byteAtATimeGivesTheSameEvents() {
        RtmpRecordingListener whole = replay(capture.length, 1);
        RtmpRecordingListener bytewise = replay(1, 1);
        RtmpRecordingListener ragged = replay(700, 2);
        for (RtmpRecordingListener other : List.of(bytewise, ragged)) {
            assertEquals(whole.events, other.events);
            RtmpChunkDecoderTest.assertSameMessages(whole.media, other.media);
        }
    }
}
