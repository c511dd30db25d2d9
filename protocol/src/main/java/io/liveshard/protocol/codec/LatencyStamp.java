package io.liveshard.protocol.codec;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import java.io.ByteArrayOutputStream;
import java.util.OptionalLong;

/**
 * LiveShard's end-to-end latency stamp: an SEI {@code user_data_unregistered} message (H.264 section D.1.7 /
 * H.265 section D.2.7, payload type 5) inserted at ingest in front of each video access unit, carrying
 * {@link #UUID} and the ingest wall-clock time. Because it is an ordinary NAL unit of the access unit it travels
 * through every output (FLV, RTMP, MPEG-TS, fMP4, RTP) untouched, and a player or tool that finds it knows how long
 * ago the frame reached the server.
 *
 * <p>Payload layout after the UUID: 8 bytes, big-endian, milliseconds since the Unix epoch. The NAL unit is escaped
 * with emulation-prevention bytes (section 7.4.1) like any other.
 */
public final class LatencyStamp {

    /** Identifies LiveShard stamps among other user data: "LiveShard-Stamp1" in ASCII. */
    public static final byte[] UUID = {'L', 'i', 'v', 'e', 'S', 'h', 'a', 'r', 'd', '-', 'S', 't', 'a', 'm', 'p', '1'};
    /** SEI payload type of user_data_unregistered. */
    public static final int PAYLOAD_TYPE_USER_DATA_UNREGISTERED = 5;
    private static final int PAYLOAD_SIZE = 16 + 8;
    private static final int H264_SEI = 6;
    private static final int H265_PREFIX_SEI = 39;

    private LatencyStamp() {}

    /** The stamp as an escaped NAL unit (header included) for {@code codec} (H.264 or H.265). */
    public static byte[] nalUnit(MediaCodec codec, long wallMillis) {
        ByteArrayOutputStream rbsp = new ByteArrayOutputStream(PAYLOAD_SIZE + 8);
        rbsp.write(PAYLOAD_TYPE_USER_DATA_UNREGISTERED);
        rbsp.write(PAYLOAD_SIZE);
        rbsp.writeBytes(UUID);
        for (int shift = 56; shift >= 0; shift -= 8) {
            rbsp.write((int) (wallMillis >>> shift));
        }
        rbsp.write(0x80); // rbsp_trailing_bits
        ByteArrayOutputStream nal = new ByteArrayOutputStream(PAYLOAD_SIZE + 12);
        if (codec == MediaCodec.H265) {
            nal.write(H265_PREFIX_SEI << 1);
            nal.write(1); // nuh_layer_id 0, nuh_temporal_id_plus1 1
        } else {
            nal.write(H264_SEI);
        }
        escape(rbsp.toByteArray(), nal);
        return nal.toByteArray();
    }

    /**
     * The frame with the stamp as its first NAL unit, in the frame's AVCC framing; the original body is not changed.
     * Only H.264 and H.265 media frames are stamped; others are returned as they are.
     *
     * @param nalLengthSize the stream's NAL length prefix size (from its decoder configuration), 1, 2 or 4
     */
    public static MediaFrame stamp(MediaFrame frame, int nalLengthSize, long wallMillis) {
        if (frame.config() || (frame.codec() != MediaCodec.H264 && frame.codec() != MediaCodec.H265)
                || frame.payloadLength() == 0) {
            return frame;
        }
        byte[] nal = nalUnit(frame.codec(), wallMillis);
        byte[] body = new byte[frame.body().length + nalLengthSize + nal.length];
        System.arraycopy(frame.body(), 0, body, 0, frame.payloadOffset());
        int at = frame.payloadOffset();
        for (int i = nalLengthSize - 1; i >= 0; i--) {
            body[at++] = (byte) (nal.length >>> (8 * i));
        }
        System.arraycopy(nal, 0, body, at, nal.length);
        at += nal.length;
        System.arraycopy(frame.body(), frame.payloadOffset(), body, at, frame.payloadLength());
        return new MediaFrame(frame.kind(), frame.codec(), frame.config(), frame.keyframe(), frame.dts(), frame.cts(),
                body, frame.payloadOffset(), frame.ingestNanos());
    }

    /**
     * The ingest time carried by a LiveShard stamp among the AVCC NAL units {@code data[offset, offset+length)}, if
     * there is one.
     */
    public static OptionalLong find(byte[] data, int offset, int length, int nalLengthSize, MediaCodec codec) {
        OptionalLong[] found = {OptionalLong.empty()};
        try {
            AnnexB.forEachAvccNal(data, offset, length, nalLengthSize, (nalData, nalOffset, nalLength) -> {
                if (found[0].isEmpty()) {
                    found[0] = read(nalData, nalOffset, nalLength, codec);
                }
            });
        } catch (CodecFormatException e) {
            return OptionalLong.empty();
        }
        return found[0];
    }

    /** The time in one NAL unit, if it is a LiveShard stamp. */
    public static OptionalLong read(byte[] nal, int offset, int length, MediaCodec codec) {
        int header = codec == MediaCodec.H265 ? 2 : 1;
        if (length < header + 2 + PAYLOAD_SIZE) {
            return OptionalLong.empty();
        }
        boolean sei = codec == MediaCodec.H265 ? ((nal[offset] >> 1) & 0x3F) == H265_PREFIX_SEI
                : (nal[offset] & 0x1F) == H264_SEI;
        if (!sei) {
            return OptionalLong.empty();
        }
        byte[] rbsp = H264Rbsp.unescape(nal, offset + header, length - header);
        if (rbsp.length < 2 + PAYLOAD_SIZE || rbsp[0] != PAYLOAD_TYPE_USER_DATA_UNREGISTERED
                || rbsp[1] != PAYLOAD_SIZE) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < UUID.length; i++) {
            if (rbsp[2 + i] != UUID[i]) {
                return OptionalLong.empty();
            }
        }
        long millis = 0;
        for (int i = 0; i < 8; i++) {
            millis = (millis << 8) | (rbsp[2 + UUID.length + i] & 0xFF);
        }
        return OptionalLong.of(millis);
    }

    /** Inserts emulation-prevention bytes: 0x03 after two zero bytes when the next byte is 0..3 (section 7.4.1). */
    private static void escape(byte[] rbsp, ByteArrayOutputStream out) {
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
    }
}
