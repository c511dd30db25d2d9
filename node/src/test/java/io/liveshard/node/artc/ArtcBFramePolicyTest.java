package io.liveshard.node.artc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** B-frame detection from slice headers, and that the stream's packetizer leaves out what the policy drops. */
class ArtcBFramePolicyTest {

    /** NAL header bytes: nal_ref_idc in bits 5-6, type in bits 0-4. */
    private static final int NON_REFERENCE_SLICE = 0x01;
    private static final int REFERENCE_SLICE = 0x41;
    private static final int IDR = 0x65;
    private static final int SEI = 0x06;
    /** Slice headers: first_mb_in_slice 0 ("1") then slice_type as ue(v), padded with bits. */
    private static final int SLICE_P = 0xE0;        // 1 1 ...: slice_type 0
    private static final int SLICE_B = 0xA8;        // 1 010 ...: slice_type 1
    private static final int SLICE_B_ALL = 0x9E;    // 1 00111 ...: slice_type 6
    private static final int SLICE_P_ALL = 0x9A;    // 1 00110 ...: slice_type 5
    private static final int SLICE_I_ALL = 0x88;    // 1 0001000: slice_type 7

    static Stream<Arguments> frames() {
        return Stream.of(
                Arguments.of("P slice", frame(false, nal(REFERENCE_SLICE, SLICE_P)), ArtcBFramePolicy.Verdict.FORWARD),
                Arguments.of("P slice type 5", frame(false, nal(REFERENCE_SLICE, SLICE_P_ALL)),
                        ArtcBFramePolicy.Verdict.FORWARD),
                Arguments.of("I slice in a non-IDR frame", frame(false, nal(REFERENCE_SLICE, SLICE_I_ALL)),
                        ArtcBFramePolicy.Verdict.FORWARD),
                Arguments.of("non-reference B", frame(false, nal(NON_REFERENCE_SLICE, SLICE_B)),
                        ArtcBFramePolicy.Verdict.DROP),
                Arguments.of("non-reference B type 6 after an SEI", frame(false, nal(SEI, 0x05),
                        nal(NON_REFERENCE_SLICE, SLICE_B_ALL)), ArtcBFramePolicy.Verdict.DROP),
                Arguments.of("two non-reference B slices", frame(false, nal(NON_REFERENCE_SLICE, SLICE_B),
                        nal(NON_REFERENCE_SLICE, SLICE_B)), ArtcBFramePolicy.Verdict.DROP),
                Arguments.of("reference B (B-pyramid)", frame(false, nal(REFERENCE_SLICE, SLICE_B)),
                        ArtcBFramePolicy.Verdict.DROP_REFERENCE_B),
                Arguments.of("B and P slices mixed", frame(false, nal(NON_REFERENCE_SLICE, SLICE_B),
                        nal(NON_REFERENCE_SLICE, SLICE_P)), ArtcBFramePolicy.Verdict.FORWARD),
                Arguments.of("keyframe", frame(true, nal(IDR, SLICE_I_ALL)), ArtcBFramePolicy.Verdict.FORWARD),
                Arguments.of("SEI only", frame(false, nal(SEI, 0x05)), ArtcBFramePolicy.Verdict.FORWARD),
                Arguments.of("slice header cut after the NAL header", frame(false, new byte[] {NON_REFERENCE_SLICE}),
                        ArtcBFramePolicy.Verdict.FORWARD),
                Arguments.of("slice_type out of range (1095)", frame(false, nal(NON_REFERENCE_SLICE, 0x80)),
                        ArtcBFramePolicy.Verdict.FORWARD),
                Arguments.of("length prefix overrunning the frame", new MediaFrame(MediaKind.VIDEO, MediaCodec.H264,
                        false, false, 0, 0, new byte[] {0x27, 1, 0, 0, 0, 0, 0, 0, 99, 0x01, (byte) 0xA8}, 5, 0),
                        ArtcBFramePolicy.Verdict.FORWARD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void classifiesFramesBySliceTypeAndReference(String name, MediaFrame frame, ArtcBFramePolicy.Verdict verdict) {
        assertEquals(verdict, ArtcBFramePolicy.classify(frame, 4));
    }

    @Test
    void theStreamPacketizerLeavesOutEveryBFrameForEveryViewerAndWarnsOnce() throws Exception {
        ArtcStreamPacketizer packetizer = new ArtcStreamPacketizer();
        byte[] record = new AvcDecoderConfigurationRecord(1, 100, 0, 30, 4,
                List.of(new byte[] {0x67, 0x64, 0x00, 0x1e}), List.of(new byte[] {0x68, (byte) 0xce, 0x3c,
                        (byte) 0x80})).encode();
        byte[] config = new byte[5 + record.length];
        config[0] = 0x17;
        System.arraycopy(record, 0, config, 5, record.length);
        packetizer.configure(new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, true, true, 0, 0, config, 5, 0));

        assertNotNull(packetizer.packetize(frame(true, nal(IDR, SLICE_I_ALL))));
        assertFalse(packetizer.claimBFrameWarning(), "no warning before a B-frame");
        MediaFrame b = frame(false, nal(NON_REFERENCE_SLICE, SLICE_B));
        assertNull(packetizer.packetize(b));
        assertNull(packetizer.packetize(b), "a second viewer gets the same decision");
        assertNotNull(packetizer.packetize(frame(false, nal(REFERENCE_SLICE, SLICE_P))));
        assertNull(packetizer.packetize(frame(false, nal(REFERENCE_SLICE, SLICE_B))), "a reference B-frame too");
        assertEquals(1, packetizer.droppedBFrames());
        assertEquals(1, packetizer.referenceBFrames());
        assertTrue(packetizer.claimBFrameWarning());
        assertFalse(packetizer.claimBFrameWarning(), "one warning per stream");
    }

    /** A NAL unit: header byte, the slice header's first byte, and filler. */
    private static byte[] nal(int header, int sliceHeader) {
        return new byte[] {(byte) header, (byte) sliceHeader, 0x11, 0x22, 0x33, 0x44};
    }

    /** An FLV AVC NALU tag body with 4-byte length prefixes. */
    private static MediaFrame frame(boolean keyframe, byte[]... nals) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {(byte) (keyframe ? 0x17 : 0x27), 1, 0, 0, 0});
        for (byte[] nal : nals) {
            body.writeBytes(new byte[] {0, 0, (byte) (nal.length >>> 8), (byte) nal.length});
            body.writeBytes(nal);
        }
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, keyframe, 0, 0, body.toByteArray(), 5, 0);
    }
}
