package io.liveshard.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyStampTest {

    private static MediaFrame frame(MediaCodec codec) {
        byte[] body = {0x17, 1, 0, 0, 0, 0, 0, 0, 3, 0x65, 0x11, 0x22};
        return new MediaFrame(MediaKind.VIDEO, codec, false, true, 40, 0, body, 5, 7);
    }

    @ParameterizedTest(name = "time {0} ms round-trips")
    @ValueSource(longs = {0L, 1L, 0x0000_0001_0000_0003L, 1_795_000_000_000L, 0x0000_0000_0003_0000L, -1L})
    void stampsRoundTripThroughAvccIncludingEmulationPrevention(long millis) throws Exception {
        for (MediaCodec codec : new MediaCodec[] {MediaCodec.H264, MediaCodec.H265}) {
            MediaFrame stamped = LatencyStamp.stamp(frame(codec), 4, millis);
            assertEquals(OptionalLong.of(millis), LatencyStamp.find(stamped.body(), stamped.payloadOffset(),
                    stamped.payloadLength(), 4, codec), codec.toString());
            byte[] nal = LatencyStamp.nalUnit(codec, millis);
            for (int i = 2; i < nal.length; i++) {
                boolean startCodeLike = nal[i - 2] == 0 && nal[i - 1] == 0 && (nal[i] & 0xFF) <= 3 && nal[i] != 3;
                assertTrue(!startCodeLike, "escaped: no 00 00 0x (x <= 2) inside the NAL");
            }
        }
    }

    @Test
    void theOriginalNalUnitsFollowTheStampUnchanged() throws Exception {
        MediaFrame original = frame(MediaCodec.H264);
        MediaFrame stamped = LatencyStamp.stamp(original, 4, 123);
        byte[] annexB = AnnexB.avccToAnnexB(stamped.body(), stamped.payloadOffset(), stamped.payloadLength(), 4);
        byte[] tail = {0, 0, 0, 1, 0x65, 0x11, 0x22};
        byte[] end = Arrays.copyOfRange(annexB, annexB.length - tail.length, annexB.length);
        assertArrayEquals(tail, end);
        assertEquals(6, annexB[4] & 0x1F, "the stamp is an SEI NAL first");
        assertEquals(original.dts(), stamped.dts());
        assertEquals(original.ingestNanos(), stamped.ingestNanos());
        assertArrayEquals(new byte[] {0x17, 1, 0, 0, 0}, Arrays.copyOf(stamped.body(), 5));
    }

    @Test
    void configsAudioAndOtherSeiAreLeftAlone() {
        MediaFrame config = new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, true, true, 0, 0, new byte[] {0x17, 0,
            0, 0, 0, 1}, 5, 0);
        assertSame(config, LatencyStamp.stamp(config, 4, 1));
        byte[] otherSei = {6, 5, 24, 1, 2, 3};
        assertTrue(LatencyStamp.read(otherSei, 0, otherSei.length, MediaCodec.H264).isEmpty());
        byte[] slice = {0x65, 1, 2};
        assertTrue(LatencyStamp.read(slice, 0, slice.length, MediaCodec.H264).isEmpty());
    }
}
