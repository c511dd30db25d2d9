package io.liveshard.node.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class RelayFrameCodecTest {

    private static final MediaFrame KEYFRAME = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, true,
            5_000_000_000L, 40, new byte[] {0x17, 1, 0, 0, 40, 0, 0, 0, 2, 0x65, 1}, 5, System.nanoTime() - 3_000_000);
    private static final MediaFrame AUDIO_CONFIG = new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, true, false, 0, 0,
            new byte[] {(byte) 0xAF, 0, 0x11, (byte) 0x90}, 2, 0);

    private static List<MediaFrame> decodeAll(RelayFrameDecoder decoder, List<ByteString> messages) {
        List<MediaFrame> frames = new ArrayList<>();
        for (ByteString message : messages) {
            frames.addAll(decoder.accept(message));
        }
        return frames;
    }

    private static MediaFrame video(int bytes, long dts, Random random) {
        byte[] body = new byte[bytes];
        random.nextBytes(body);
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, dts == 0, dts, 0, body, 5, System.nanoTime());
    }

    @Test
    void framesCrossWithTheirFieldsAndIngestTime() {
        List<MediaFrame> decoded = new RelayFrameDecoder().accept(
                RelayFrameCodec.encode(List.of(AUDIO_CONFIG, KEYFRAME)));
        assertEquals(2, decoded.size());
        MediaFrame config = decoded.get(0);
        assertTrue(config.config() && config.isAudio() && config.codec() == MediaCodec.AAC);
        assertEquals(0, config.ingestNanos(), "no ingest time stays none");
        MediaFrame video = decoded.get(1);
        assertTrue(video.keyframe() && !video.config());
        assertEquals(5_000_000_000L, video.dts());
        assertEquals(40, video.cts());
        assertEquals(5, video.payloadOffset());
        assertArrayEquals(KEYFRAME.body(), video.body());
        // Through wall-clock microseconds and back: within a millisecond of the original age.
        assertEquals(KEYFRAME.ingestNanos(), video.ingestNanos(), 1_000_000);
    }

    /**
     * Pekko's remoting refuses a message over its frame size (256 KiB by default) and the copy then fails: a 650 KB
     * keyframe (x264 at 6 Mbit/s, a noisy picture) and a new copy's GOP of a few megabytes cross as messages of at
     * most 128 KiB, and come back whole.
     */
    @Test
    void aBatchLargerThanAMessageCrossesInPiecesAndComesBackWhole() {
        Random random = new Random(7);
        List<MediaFrame> gop = new ArrayList<>(List.of(AUDIO_CONFIG, video(650_000, 0, random)));
        for (int i = 1; i < 60; i++) {
            gop.add(video(20_000 + random.nextInt(20_000), i * 33L, random));
        }
        ByteString batch = RelayFrameCodec.encode(gop);
        List<ByteString> messages = RelayFrameCodec.chunks(batch);
        assertTrue(messages.size() > 10, messages.size() + " messages");
        for (ByteString message : messages) {
            assertTrue(message.size() <= RelayFrameCodec.MAX_MESSAGE_BYTES, message.size() + " bytes");
        }
        List<MediaFrame> decoded = decodeAll(new RelayFrameDecoder(), messages);
        assertEquals(gop.size(), decoded.size());
        for (int i = 0; i < gop.size(); i++) {
            assertArrayEquals(gop.get(i).body(), decoded.get(i).body(), "frame " + i);
            assertEquals(gop.get(i).dts(), decoded.get(i).dts());
        }
        ByteString fits = batch.take(RelayFrameCodec.MAX_MESSAGE_BYTES);
        assertEquals(List.of(fits), RelayFrameCodec.chunks(fits), "a batch that fits goes as one message");
    }

    @Test
    void aCutAnywhereLosesNothing() {
        ByteString batch = RelayFrameCodec.encode(List.of(AUDIO_CONFIG, KEYFRAME, AUDIO_CONFIG));
        for (int cut = 0; cut <= batch.size(); cut++) {
            List<MediaFrame> decoded = decodeAll(new RelayFrameDecoder(), List.of(batch.take(cut), batch.drop(cut)));
            assertEquals(3, decoded.size(), "cut at " + cut);
            assertArrayEquals(KEYFRAME.body(), decoded.get(1).body(), "cut at " + cut);
        }
    }

    @Test
    void theEndOfStreamComesAfterTheLastFrames() {
        RelayFrameDecoder decoder = new RelayFrameDecoder();
        assertEquals(1, decoder.accept(RelayFrameCodec.encode(List.of(KEYFRAME))).size());
        assertFalse(decoder.ended());
        assertEquals(List.of(), decoder.accept(RelayFrameCodec.END_OF_STREAM));
        assertTrue(decoder.ended());
        assertThrows(IllegalArgumentException.class, () -> decoder.accept(RelayFrameCodec.encode(List.of(KEYFRAME))));
    }

    @Test
    void malformedBytesAreRefused() {
        ByteString whole = RelayFrameCodec.encode(List.of(KEYFRAME));
        byte[] badCodec = whole.toArray();
        badCodec[0] = 100;
        assertThrows(IllegalArgumentException.class, () -> new RelayFrameDecoder()
                .accept(ByteString.fromArray(badCodec)));
        byte[] hugeBody = whole.toArray();
        hugeBody[RelayFrameCodec.HEADER_BYTES - 4] = 0x7F;
        assertThrows(IllegalArgumentException.class, () -> new RelayFrameDecoder()
                .accept(ByteString.fromArray(hugeBody)));
        ByteString endThenMore = RelayFrameCodec.END_OF_STREAM.concat(whole);
        assertThrows(IllegalArgumentException.class, () -> new RelayFrameDecoder().accept(endThenMore));
        RelayFrameDecoder partial = new RelayFrameDecoder();
        assertEquals(List.of(), partial.accept(whole.take(whole.size() - 1)), "a frame not complete yet waits");
        assertEquals(1, partial.accept(whole.drop(whole.size() - 1)).size());
    }
}
