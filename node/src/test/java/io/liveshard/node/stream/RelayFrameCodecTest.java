package io.liveshard.node.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class RelayFrameCodecTest {

    private static final MediaFrame KEYFRAME = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, true,
            5_000_000_000L, 40, new byte[] {0x17, 1, 0, 0, 40, 0, 0, 0, 2, 0x65, 1}, 5, System.nanoTime() - 3_000_000);
    private static final MediaFrame AUDIO_CONFIG = new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, true, false, 0, 0,
            new byte[] {(byte) 0xAF, 0, 0x11, (byte) 0x90}, 2, 0);

    @Test
    void framesCrossWithTheirFieldsAndIngestTime() {
        List<MediaFrame> decoded = RelayFrameCodec.decode(RelayFrameCodec.encode(List.of(AUDIO_CONFIG, KEYFRAME)));
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

    @Test
    void theEndOfStreamMarkerIsNoBatch() {
        assertTrue(RelayFrameCodec.isEndOfStream(RelayFrameCodec.END_OF_STREAM));
        assertFalse(RelayFrameCodec.isEndOfStream(RelayFrameCodec.encode(List.of(KEYFRAME))));
    }

    @Test
    void malformedBatchesAreRefused() {
        ByteString whole = RelayFrameCodec.encode(List.of(KEYFRAME));
        assertThrows(IllegalArgumentException.class, () -> RelayFrameCodec.decode(whole.take(whole.size() - 1)));
        assertThrows(IllegalArgumentException.class, () -> RelayFrameCodec.decode(whole.take(10)));
        byte[] badCodec = whole.toArray();
        badCodec[0] = 100;
        assertThrows(IllegalArgumentException.class, () -> RelayFrameCodec.decode(ByteString.fromArray(badCodec)));
    }
}
