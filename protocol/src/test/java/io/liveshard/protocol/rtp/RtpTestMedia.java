package io.liveshard.protocol.rtp;

import io.liveshard.protocol.codec.AnnexB;
import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.flv.FlvMediaParser;
import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.media.MediaFrame;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The committed FLV fixture as H.264 media frames, and byte helpers for the RTP tests. */
final class RtpTestMedia {

    static final String FLV_FIXTURE = "/flv/testsrc2-320x240-15fps-aac.flv";

    /** The AVC configuration and the video access units (with payload) of an FLV file, in order. */
    record H264Stream(AvcDecoderConfigurationRecord config, List<MediaFrame> accessUnits) {
    }

    private RtpTestMedia() {
    }

    static H264Stream fixture() throws Exception {
        return h264(resource(FLV_FIXTURE));
    }

    static H264Stream h264(byte[] flv) throws Exception {
        FlvStreamReader reader = new FlvStreamReader();
        ByteBuffer in = ByteBuffer.wrap(flv);
        AvcDecoderConfigurationRecord config = null;
        List<MediaFrame> frames = new ArrayList<>();
        while (reader.feed(in) == FlvStreamReader.Result.TAG) {
            if (reader.tag().type() != FlvTagType.VIDEO) {
                continue;
            }
            MediaFrame frame = FlvMediaParser.parseVideo(reader.tag().body(), reader.tag().timestamp(), 0);
            if (frame.config()) {
                config = AvcDecoderConfigurationRecord.parse(frame.body(), frame.payloadOffset(),
                        frame.payloadLength());
            } else if (frame.payloadLength() > 0) {
                frames.add(frame);
            }
        }
        if (reader.failureReason() != null || config == null) {
            throw new IllegalStateException("bad FLV: " + reader.failureReason());
        }
        return new H264Stream(config, frames);
    }

    /** The NAL units of a length-prefixed access unit, as copies. */
    static List<byte[]> nalUnits(MediaFrame frame, int nalLengthSize) throws Exception {
        List<byte[]> nals = new ArrayList<>();
        AnnexB.forEachAvccNal(frame.body(), frame.payloadOffset(), frame.payloadLength(), nalLengthSize,
                (data, offset, length) -> nals.add(Arrays.copyOfRange(data, offset, offset + length)));
        return nals;
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] resource(String name) {
        try (InputStream in = RtpTestMedia.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
