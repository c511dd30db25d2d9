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
 *   <li>A NAL unit that fits the payload goes alone in a single NAL unit packet (5.6).</li>
 *   <li>A larger one is cut into FU-A fragments (5.8) of near-equal size, so the last one is not a runt.</li>
 *   <li>Every access unit with an IDR slice (or flagged as a key frame) is preceded by the stream's SPS and PPS in
 *       one STAP-A (5.7.1), so a viewer can start decoding at any key frame, whatever it missed before; if the access
 *       unit already carries both in-band, those are sent instead. Parameter sets too large for one STAP-A go as
 *       single NAL units or fragments.</li>
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

    /** One STAP-A with every SPS and PPS, or null when they do not fit in one packet. */
    private byte[] parameterSetsStapA;
    /** The SPS and PPS NAL units, sent one by one when they do not fit a STAP-A. */
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
        int stapSize = STAP_A_HEADER_SIZE;
        int nri = 0;
        for (byte[] nal : sets) {
            if (nal.length == 0) {
                throw new RtpException("H.264 configuration " + record + " has an empty parameter set");
            }
            stapSize += STAP_A_NALU_SIZE_FIELD + nal.length;
            nri = Math.max(nri, nal[0] & NRI);
        }
        byte[] stap = null;
        if (stapSize <= maxPayloadSize) {
            // The STAP-A's NRI is the highest of its NAL units' (RFC 6184 5.7.1); its F bit is theirs OR-ed.
            stap = new byte[stapSize];
            int forbidden = 0;
            int position = STAP_A_HEADER_SIZE;
            for (byte[] nal : sets) {
                forbidden |= nal[0] & 0x80;
                stap[position] = (byte) (nal.length >>> 8);
                stap[position + 1] = (byte) nal.length;
                System.arraycopy(nal, 0, stap, position + STAP_A_NALU_SIZE_FIELD, nal.length);
                position += STAP_A_NALU_SIZE_FIELD + nal.length;
            }
            stap[0] = (byte) (forbidden | nri | STAP_A);
        }
        this.parameterSets = List.copyOf(sets);
        this.parameterSetsStapA = stap;
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
            addParameterSets();
        }
        for (int i = 0; i < nalCount; i++) {
            int offset = nalOffsets[i];
            if (isDropped(body[offset] & TYPE)) {
                droppedNalUnits++;
            } else {
                addNal(body, offset, nalLengths[i]);
            }
        }
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

    private void addParameterSets() {
        if (parameterSetsStapA != null) {
            builder.add(parameterSetsStapA, 0, parameterSetsStapA.length);
            return;
        }
        for (byte[] nal : parameterSets) {
            addNal(nal, 0, nal.length);
        }
    }

    private void addNal(byte[] data, int offset, int length) {
        if (length <= maxPayloadSize) {
            builder.add(data, offset, length);
            return;
        }
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
