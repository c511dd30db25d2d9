package io.liveshard.node.artc;

import io.liveshard.protocol.codec.AnnexB;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.H264BitReader;
import io.liveshard.protocol.codec.H264Rbsp;
import io.liveshard.protocol.media.MediaFrame;

/**
 * Which H.264 frames artc forwards when the source has B-frames (OBS's and x264's defaults do): none of the
 * B-frames.
 *
 * <p>Why: WebRTC receivers decode H.264 in arrival order and show each picture as soon as it is decoded (RTP
 * carries no decode timestamp), so a B-frame, which is shown before the frame decoded ahead of it, comes out of
 * order. Chromium does worse with reference B-frames (x264's default B-pyramid): forwarding them, it decoded about 4
 * of the source's 30 fps and asked for a keyframe 35 times in 8 s; with every B-frame left out it showed every
 * remaining frame in order without a single keyframe request (x264 presets medium and veryfast, ffmpeg's other
 * defaults; docs/ARCHITECTURE-NOTES.md, "artc and B-frames").
 *
 * <p>What is dropped: <b>non-reference B-frames</b> (every slice a B slice, {@code nal_ref_idc} 0, ITU-T H.264
 * 7.4.1), which no frame is predicted from, and <b>reference B-frames</b>, which encoders' B-pyramids let only the
 * B-frames of their own group refer to, and those are dropped too. The cost is frame rate (8–10 of 30 fps with
 * three B-frames per P). Should a later frame refer to a dropped one after all, the player's decoder asks for a
 * keyframe (PLI) and artc answers with the cached GOP. Publishing without B-frames ({@code -bf 0}, OBS "B-frames 0")
 * gives artc viewers every frame.
 */
final class ArtcBFramePolicy {

    /** What to do with one frame. */
    enum Verdict {
        /** No B slice: forward. */
        FORWARD,
        /** A B-frame other frames (B-frames of its group) reference: drop. */
        DROP_REFERENCE_B,
        /** A B-frame no frame references: drop. */
        DROP
    }

    /** H.264 NAL unit types of coded slices: non-IDR (1) and IDR (5); data partitions (2..4) are not used live. */
    private static final int NON_IDR_SLICE = 1;
    private static final int IDR_SLICE = 5;
    /** ITU-T H.264 table 7-6: slice_type 1 and 6 are B. */
    private static final int B_SLICE = 1;
    private static final int SLICE_TYPES = 5;
    /** A slice header's first_mb_in_slice and slice_type fit in a few bytes; only those are unescaped. */
    private static final int SLICE_HEADER_PREFIX = 16;

    private ArtcBFramePolicy() {
    }

    /**
     * The verdict for an H.264 frame whose AVCC payload has {@code nalLengthSize}-byte length prefixes. A frame is a
     * B-frame when all its slices are B slices; unreadable slice headers count as not B (the frame is forwarded).
     */
    static Verdict classify(MediaFrame frame, int nalLengthSize) {
        if (frame.keyframe() || frame.config()) {
            return Verdict.FORWARD;
        }
        Scan scan = new Scan();
        try {
            AnnexB.forEachAvccNal(frame.body(), frame.payloadOffset(), frame.payloadLength(), nalLengthSize, scan);
        } catch (CodecFormatException e) {
            return Verdict.FORWARD;
        }
        if (scan.slices == 0 || scan.bSlices < scan.slices) {
            return Verdict.FORWARD;
        }
        return scan.referenced ? Verdict.DROP_REFERENCE_B : Verdict.DROP;
    }

    /** Counts a frame's slices, its B slices, and whether any slice is a reference (nal_ref_idc > 0). */
    private static final class Scan implements io.liveshard.protocol.codec.AvccNalConsumer {
        int slices;
        int bSlices;
        boolean referenced;

        @Override
        public void accept(byte[] data, int offset, int length) {
            int type = data[offset] & 0x1f;
            if (type != NON_IDR_SLICE && type != IDR_SLICE || length < 2) {
                return;
            }
            slices++;
            referenced |= (data[offset] & 0x60) != 0;
            byte[] header = H264Rbsp.unescape(data, offset + 1, Math.min(length - 1, SLICE_HEADER_PREFIX));
            try {
                H264BitReader bits = new H264BitReader(header, 0, header.length);
                bits.readUnsignedExpGolomb(); // first_mb_in_slice
                if (bits.readUnsignedExpGolomb() % SLICE_TYPES == B_SLICE) {
                    bSlices++;
                }
            } catch (CodecFormatException e) {
                // An unreadable header is not taken for a B slice.
            }
        }
    }
}
