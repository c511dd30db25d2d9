package io.liveshard.protocol.rtp;

import io.liveshard.protocol.codec.AnnexB;
import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.AvccNalConsumer;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.H264NalUnitType;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Packetizes H.264 access units for RTP in non-interleaved mode (RFC 6184 6.3, packetization-mode=1), once per stream:
 * the result is shared by every viewer.
 *
 * <ul>
 *   <li>Consecutive NAL units that fit one payload together travel in one STAP-A (5.7.1); a NAL unit that fits
 *       with no neighbour goes alone in a single NAL unit packet (5.6). The small NAL units of a frame (SEI such as
 *       the latency stamp, parameter sets, small slices) would otherwise cost a packet each, and per-packet work is
 *       most of what a viewer costs.</li>
 *   <li>A NAL unit larger than a payload is cut into FU-A fragments (5.8) of near-equal size, so the last one is not
 *       a runt.</li>
 *   <li>Every access unit with an IDR slice (or flagged as a key frame) is preceded by the stream's SPS and PPS, so
 *       a viewer can start decoding at any key frame, whatever it missed before; if the access unit already carries
 *       both in-band, those are sent instead.</li>
 *   <li>Access unit delimiters and filler data are dropped: they carry nothing for a WebRTC decoder, and the marker
 *       bit already ends the access unit (5.1). So are NAL unit types 0 and 24-31, which are not H.264 bitstream
 *       types and which a receiver would take for RTP aggregation or fragmentation packets (Table 1).</li>
 *   <li>The marker bit is set on the last packet of the access unit (5.1); the timestamp is the PTS in the 90 kHz
 *       clock (5.1), wrapped to 32 bits.</li>
 * </ul>
 *
 * <p>One instance per stream, used by one thread at a time.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6184">RFC 6184</a>
 */
public final class RtpH264Packetizer {

    /** STAP-A, single-time aggregation packet (RFC 6184 5.7.1, Table 1). */
    static final int STAP_A = 24;

    /** FU-A, fragmentation unit without DON (RFC 6184 5.8, Table 1). */
    static final int FU_A = 28;

    /** The F bit and NRI of a NAL unit header (RFC 6184 5.3), kept by FU indicators and STAP-A headers. */
    private static final int F_AND_NRI = 0xE0;
    private static final int NRI = 0x60;
    private static final int TYPE = 0x1F;
    private static final int FU_START = 0x80;
    private static final int FU_END = 0x40;

    /** The STAP-A NAL header byte and a 16-bit NAL unit size per aggregated NAL unit (RFC 6184 5.7.1). */
    private static final int STAP_A_HEADER_SIZE = 1;
    private static final int STAP_A_NALU_SIZE_FIELD = 2;

    /** The FU indicator and FU header before each fragment (RFC 6184 5.8). */
    private static final int FU_A_HEADER_SIZE = 2;

    private final int maxPayloadSize;
    private final RtpPacketizedFrame.Builder builder = new RtpPacketizedFrame.Builder();
    private final AvccNalConsumer collector = this::collect;

    private int nalCount;
    private int[] nalOffsets = new int[32];
    private int[] nalLengths = new int[32];

    /** NAL units waiting to share one STAP-A (references, not copies), and the STAP-A's size so far. */
    private int pendingCount;
    private byte[][] pendingData = new byte[16][];
    private int[] pendingOffsets = new int[16];
    private int[] pendingLengths = new int[16];
    private int pendingSize = STAP_A_HEADER_SIZE;

    /** The stream's SPS and PPS NAL units. */
    private List<byte[]> parameterSets;
    /** From the configuration record; 0 until {@link #configure} is called. */
    private int nalLengthSize;

    private long packetizedFrames;
    private long droppedNalUnits;

    public RtpH264Packetizer(RtpPacketizerConfig config) {
        this.maxPayloadSize = config.maxPayloadSize();
    }

    /**
     * Adopts the stream's AVC decoder configuration: its SPS and PPS go ahead of every IDR from now on, and its NAL
     * length size frames the access units.
     *
     * @throws RtpException when the record lacks an SPS or a PPS, without which no viewer can decode
     */
    public void configure(AvcDecoderConfigurationRecord record) throws RtpException {
        if (record.sps().isEmpty() || record.pps().isEmpty()) {
            throw new RtpException("H.264 configuration " + record + " lacks an SPS or a PPS");
        }
        List<byte[]> sets = new ArrayList<>(record.sps());
        sets.addAll(record.pps());
        for (byte[] nal : sets) {
            if (nal.length == 0) {
                throw new RtpException("H.264 configuration " + record + " has an empty parameter set");
            }
        }
        this.parameterSets = List.copyOf(sets);
        this.nalLengthSize = record.nalLengthSize();
    }

    /**
     * Packetizes one access unit. The result refers to {@code frame}'s body, which must stay unmodified (as
     * {@link MediaFrame} promises).
     *
     * @throws IllegalArgumentException when the frame is not H.264 video or is a configuration frame
     * @throws RtpException             when the AVCC framing is broken, or the frame comes before {@link #configure}
     */
    public RtpPacketizedFrame packetize(MediaFrame frame) throws RtpException {
        if (frame.codec() != MediaCodec.H264 || frame.config()) {
            throw new IllegalArgumentException("not an H.264 access unit: " + frame);
        }
        if (nalLengthSize == 0) {
            throw new RtpException("H.264 access unit before the decoder configuration: " + frame);
        }
        byte[] body = frame.body();
        nalCount = 0;
        if (frame.payloadLength() > 0) {
            try {
                AnnexB.forEachAvccNal(body, frame.payloadOffset(), frame.payloadLength(), nalLengthSize, collector);
            } catch (CodecFormatException e) {
                throw new RtpException("H.264 access unit " + frame + ": " + e.getMessage());
            }
        }
        boolean idr = frame.keyframe();
        boolean inBandSps = false;
        boolean inBandPps = false;
        for (int i = 0; i < nalCount; i++) {
            H264NalUnitType type = H264NalUnitType.ofHeader(body[nalOffsets[i]]);
            idr |= type == H264NalUnitType.SLICE_IDR;
            inBandSps |= type == H264NalUnitType.SPS;
            inBandPps |= type == H264NalUnitType.PPS;
        }
        builder.start(RtpTimestamps.fromMillis(frame.pts(), RtpTimestamps.H264_CLOCK_RATE), idr,
                frame.ingestNanos());
        if (idr && !(inBandSps && inBandPps)) {
            for (byte[] nal : parameterSets) {
                addNal(nal, 0, nal.length);
            }
        }
        for (int i = 0; i < nalCount; i++) {
            int offset = nalOffsets[i];
            if (isDropped(body[offset] & TYPE)) {
                droppedNalUnits++;
            } else {
                addNal(body, offset, nalLengths[i]);
            }
        }
        flushPending();
        builder.markLast();
        packetizedFrames++;
        return builder.build();
    }

    /** Access units packetized so far. */
    public long packetizedFrames() {
        return packetizedFrames;
    }

    /** NAL units left out so far (delimiters, filler data, RTP-reserved types). */
    public long droppedNalUnits() {
        return droppedNalUnits;
    }

    private void addNal(byte[] data, int offset, int length) {
        if (STAP_A_NALU_SIZE_FIELD + length > maxPayloadSize - STAP_A_HEADER_SIZE) {
            // Too large to share a packet: whatever waits goes first, in order.
            flushPending();
            if (length <= maxPayloadSize) {
                builder.add(data, offset, length);
            } else {
                addFragments(data, offset, length);
            }
            return;
        }
        if (pendingSize + STAP_A_NALU_SIZE_FIELD + length > maxPayloadSize) {
            flushPending();
        }
        if (pendingCount == pendingData.length) {
            pendingData = Arrays.copyOf(pendingData, pendingCount * 2);
            pendingOffsets = Arrays.copyOf(pendingOffsets, pendingCount * 2);
            pendingLengths = Arrays.copyOf(pendingLengths, pendingCount * 2);
        }
        pendingData[pendingCount] = data;
        pendingOffsets[pendingCount] = offset;
        pendingLengths[pendingCount] = length;
        pendingCount++;
        pendingSize += STAP_A_NALU_SIZE_FIELD + length;
    }

    /**
     * Sends the waiting NAL units: one alone as a single NAL unit packet (still referring to the frame's body), two
     * or more as one STAP-A, built once per frame and shared by every viewer like the rest.
     */
    private void flushPending() {
        if (pendingCount == 0) {
            return;
        }
        if (pendingCount == 1) {
            builder.add(pendingData[0], pendingOffsets[0], pendingLengths[0]);
        } else {
            byte[] stap = new byte[pendingSize];
            int forbidden = 0;
            int nri = 0;
            int position = STAP_A_HEADER_SIZE;
            for (int i = 0; i < pendingCount; i++) {
                byte[] data = pendingData[i];
                int offset = pendingOffsets[i];
                int length = pendingLengths[i];
                forbidden |= data[offset] & 0x80;
                nri = Math.max(nri, data[offset] & NRI);
                stap[position] = (byte) (length >>> 8);
                stap[position + 1] = (byte) length;
                System.arraycopy(data, offset, stap, position + STAP_A_NALU_SIZE_FIELD, length);
                position += STAP_A_NALU_SIZE_FIELD + length;
            }
            // The STAP-A's NRI is the highest of its NAL units' (RFC 6184 5.7.1); its F bit is theirs OR-ed.
            stap[0] = (byte) (forbidden | nri | STAP_A);
            builder.add(stap, 0, stap.length);
        }
        Arrays.fill(pendingData, 0, pendingCount, null);
        pendingCount = 0;
        pendingSize = STAP_A_HEADER_SIZE;
    }

    private void addFragments(byte[] data, int offset, int length) {
        int header = data[offset] & 0xFF;
        int indicator = (header & F_AND_NRI) | FU_A;
        int type = header & TYPE;
        int bodyLength = length - 1; // the NAL header travels in the FU indicator and FU header (RFC 6184 5.8)
        int capacity = maxPayloadSize - FU_A_HEADER_SIZE;
        int fragments = (bodyLength + capacity - 1) / capacity;
        int base = bodyLength / fragments;
        int larger = bodyLength % fragments;
        int position = offset + 1;
        for (int i = 0; i < fragments; i++) {
            int size = base + (i < larger ? 1 : 0);
            int fuHeader = (i == 0 ? FU_START : 0) | (i == fragments - 1 ? FU_END : 0) | type;
            builder.addWithPrefix((indicator << 8) | fuHeader, data, position, size);
            position += size;
        }
    }

    private static boolean isDropped(int type) {
        return type == H264NalUnitType.ACCESS_UNIT_DELIMITER.code() || type == H264NalUnitType.FILLER_DATA.code()
                || type == 0 || type >= STAP_A;
    }

    private void collect(byte[] data, int offset, int length) {
        if (nalCount == nalOffsets.length) {
            nalOffsets = Arrays.copyOf(nalOffsets, nalCount * 2);
            nalLengths = Arrays.copyOf(nalLengths, nalCount * 2);
        }
        nalOffsets[nalCount] = offset;
        nalLengths[nalCount] = length;
        nalCount++;
    }
}
