package io.liveshard.node.artc;

import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.rtp.RtpException;
import io.liveshard.protocol.rtp.RtpH264Packetizer;
import io.liveshard.protocol.rtp.RtpPacketizedFrame;
import io.liveshard.protocol.rtp.RtpPacketizerConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * H.264 packetization done once per stream and shared by its artc viewers: the first viewer to send a frame
 * packetizes it, the others get the same {@link RtpPacketizedFrame} (payload slices of the frame's own body), and
 * only write their own RTP headers and encrypt. The last {@link #REMEMBERED_FRAMES} frames are remembered (a frame
 * record's equality is its body array's identity), enough for viewers a few seconds apart.
 */
final class ArtcStreamPacketizer {

    /** Frames kept: about 8 s of 30 fps video, beyond which a viewer is past the slow-consumer bounds anyway. */
    static final int REMEMBERED_FRAMES = 256;

    private final RtpH264Packetizer packetizer = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
    private final Map<MediaFrame, RtpPacketizedFrame> packetized = new LinkedHashMap<>(REMEMBERED_FRAMES * 2) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MediaFrame, RtpPacketizedFrame> eldest) {
            return size() > REMEMBERED_FRAMES;
        }
    };
    private byte[] configuredWith;
    private int nalLengthSize = 4;
    private long droppedBFrames;
    private long referenceBFrames;
    private boolean bFramesWarned;

    /** Applies a video codec configuration, once per distinct configuration. */
    synchronized void configure(MediaFrame config) throws CodecFormatException, RtpException {
        byte[] record = Arrays.copyOfRange(config.body(), config.payloadOffset(), config.body().length);
        if (!Arrays.equals(record, configuredWith)) {
            AvcDecoderConfigurationRecord avc = AvcDecoderConfigurationRecord.parse(record, 0, record.length);
            packetizer.configure(avc);
            nalLengthSize = avc.nalLengthSize();
            configuredWith = record;
            packetized.clear();
        }
    }

    /**
     * The frame's RTP payloads, made by the first viewer that asks; null for a frame artc does not forward (a
     * B-frame, see {@link ArtcBFramePolicy}), decided once per frame for every viewer.
     */
    synchronized RtpPacketizedFrame packetize(MediaFrame frame) throws RtpException {
        if (packetized.containsKey(frame)) {
            return packetized.get(frame);
        }
        RtpPacketizedFrame done = null;
        switch (ArtcBFramePolicy.classify(frame, nalLengthSize)) {
            case DROP -> droppedBFrames++;
            case DROP_REFERENCE_B -> referenceBFrames++;
            case FORWARD -> done = packetizer.packetize(frame);
        }
        packetized.put(frame, done);
        return done;
    }

    /** Non-reference B-frames left out so far. */
    synchronized long droppedBFrames() {
        return droppedBFrames;
    }

    /** Reference B-frames (B-pyramid) left out so far. */
    synchronized long referenceBFrames() {
        return referenceBFrames;
    }

    /** True once, for the first caller after this stream's first B-frame: whoever gets it logs the warning. */
    synchronized boolean claimBFrameWarning() {
        if (bFramesWarned || droppedBFrames + referenceBFrames == 0) {
            return false;
        }
        bFramesWarned = true;
        return true;
    }
}
