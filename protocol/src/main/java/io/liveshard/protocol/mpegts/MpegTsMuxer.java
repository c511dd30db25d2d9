package io.liveshard.protocol.mpegts;

import io.liveshard.protocol.codec.AacAudioSpecificConfig;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one stream's {@link MediaFrame}s as an MPEG-2 transport stream (ISO/IEC 13818-1) for classic HLS: a single
 * program with an H.264 or H.265 video PES stream on {@link MpegTsPids#VIDEO} and an AAC (ADTS) audio PES stream on
 * {@link MpegTsPids#AUDIO}, one access unit per PES packet.
 *
 * <p>Config frames update the codec state and write nothing; media frames before their track's config, frames of
 * codecs MPEG-TS cannot carry here ({@link #carries}) and script data are skipped. The caller writes the PAT and PMT
 * with {@link #writeTables} at the start of every segment, so each segment decodes on its own.
 *
 * <p>Timing: PTS and DTS are the frame's milliseconds in 90 kHz units plus {@link MpegTsClock#OFFSET_TICKS}, wrapped
 * to 33 bits. The PCR (2.4.2.2) runs {@link #PCR_LEAD_TICKS} behind the DTS of the frame being written; it goes on
 * the PCR PID (video when there is video) on every keyframe, after the tables, and whenever
 * {@link #MAX_PCR_INTERVAL_TICKS} have passed, in a PCR-only packet if the frame at hand is on the other PID.
 *
 * <p>Not thread-safe: one muxer per stream's HLS output.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1</a>
 */
public final class MpegTsMuxer {

    /**
     * Every transport stream packet is 188 bytes (ISO/IEC 13818-1 2.4.3.2); whatever {@link #accept} and
     * {@link #writeTables} write is a whole number of them, so segment and byte-range sizes are multiples of it.
     */
    public static final int TS_PACKET_SIZE = MpegTsPacketWriter.TS_PACKET_SIZE;

    /**
     * The longest gap between PCRs: 100 ms (2.7.2 requires a PCR at least every 0.1 s), in 90 kHz ticks.
     */
    public static final long MAX_PCR_INTERVAL_TICKS = MpegTsClock.TICKS_PER_SECOND / 10;

    /**
     * How far the PCR runs behind the DTS of the frame that carries it: 100 ms. A frame's bytes must arrive (PCR)
     * before it is decoded (DTS, 2.4.2.3); the slack also covers audio interleaved a little behind the video.
     */
    public static final long PCR_LEAD_TICKS = MpegTsClock.TICKS_PER_SECOND / 10;

    private final MpegTsPacketWriter packets = new MpegTsPacketWriter();

    private MpegTsVideoTrack video;
    private AdtsHeader audio;
    /** PMT version_number: counts up whenever the list of elementary streams changes. */
    private int pmtVersion;

    /** The last PCR written, unwrapped 90 kHz, or {@link Long#MIN_VALUE} before the first. */
    private long lastPcr = Long.MIN_VALUE;
    /** True after {@link #writeTables}: the next PES gets a PCR so the segment starts with a clock. */
    private boolean pcrDue = true;

    /** True for the codecs this muxer writes: H.264, H.265 and AAC. The others are skipped by {@link #accept}. */
    public static boolean carries(MediaCodec codec) {
        return codec == MediaCodec.H264 || codec == MediaCodec.H265 || codec == MediaCodec.AAC;
    }

    /**
     * Takes the next frame of the stream, in decode order: a config updates the codec state, a media frame is written
     * to {@code out} as TS packets. Frames that are skipped write nothing.
     *
     * @throws MpegTsException when the frame or config is malformed; nothing was written and the state is unchanged
     */
    public void accept(MediaFrame frame, ByteArrayOutputStream out) throws MpegTsException {
        if (!carries(frame.codec())) {
            return;
        }
        if (frame.config()) {
            configure(frame);
        } else if (frame.isVideo()) {
            writeVideo(frame, out);
        } else {
            writeAudio(frame, out);
        }
    }

    /**
     * Writes the PAT and the PMT listing the tracks whose config has been seen. Call it at the start of every
     * segment; the next PES carries a PCR.
     */
    public void writeTables(ByteArrayOutputStream out) {
        List<MpegTsPsi.ElementaryStream> streams = new ArrayList<>(2);
        if (video != null) {
            streams.add(new MpegTsPsi.ElementaryStream(video.streamType(), MpegTsPids.VIDEO));
        }
        if (audio != null) {
            streams.add(new MpegTsPsi.ElementaryStream(MpegTsStreamType.AAC_ADTS, MpegTsPids.AUDIO));
        }
        packets.writeSection(out, MpegTsPids.PAT, MpegTsPsi.pat());
        packets.writeSection(out, MpegTsPids.PMT, MpegTsPsi.pmt(streams, pcrPid(), pmtVersion));
        pcrDue = true;
    }

    private void configure(MediaFrame frame) throws MpegTsException {
        if (frame.isVideo()) {
            MpegTsVideoTrack track = MpegTsVideoTrack.fromConfig(frame);
            if (video == null || video.codec() != track.codec()) {
                pmtVersion++;
            }
            video = track;
            return;
        }
        AacAudioSpecificConfig config;
        try {
            config = AacAudioSpecificConfig.parse(frame.body(), frame.payloadOffset(), frame.payloadLength());
        } catch (CodecFormatException e) {
            throw new MpegTsException("AAC config at dts " + frame.dts() + " ms: " + e.getMessage());
        }
        AdtsHeader header = AdtsHeader.forConfig(config);
        if (audio == null) {
            pmtVersion++;
        }
        audio = header;
    }

    private void writeVideo(MediaFrame frame, ByteArrayOutputStream out) throws MpegTsException {
        if (video == null || video.codec() != frame.codec()) {
            return; // no config for this codec yet: a decoder could not use the frame
        }
        if (frame.cts() < 0) {
            throw new MpegTsException(frame.codec() + " frame at dts " + frame.dts() + " ms: composition offset "
                    + frame.cts() + " ms would present it before it is decoded");
        }
        byte[] accessUnit = video.accessUnit(frame);
        if (accessUnit == null) {
            return;
        }
        long dts = MpegTsClock.ticks(frame.dts());
        long pts = MpegTsClock.ticks(frame.pts());
        byte[] header = MpegTsPes.header(MpegTsPes.STREAM_ID_VIDEO, pts, dts, accessUnit.length);
        long pcr = pcrBefore(out, MpegTsPids.VIDEO, dts, frame.keyframe());
        packets.writePes(out, MpegTsPids.VIDEO, header, accessUnit, 0, accessUnit.length, pcr, frame.keyframe());
    }

    private void writeAudio(MediaFrame frame, ByteArrayOutputStream out) throws MpegTsException {
        if (audio == null || frame.payloadLength() == 0) {
            return;
        }
        byte[] adts = audio.forFrame(frame.payloadLength());
        long pts = MpegTsClock.ticks(frame.pts());
        byte[] pesHeader = MpegTsPes.header(MpegTsPes.STREAM_ID_AUDIO, pts, pts, adts.length + frame.payloadLength());
        byte[] header = new byte[pesHeader.length + adts.length];
        System.arraycopy(pesHeader, 0, header, 0, pesHeader.length);
        System.arraycopy(adts, 0, header, pesHeader.length, adts.length);
        long pcr = pcrBefore(out, MpegTsPids.AUDIO, pts, false);
        packets.writePes(out, MpegTsPids.AUDIO, header, frame.body(), frame.payloadOffset(), frame.payloadLength(),
                pcr, false);
    }

    /**
     * Decides whether a PCR is due before a PES on {@code pid} decoded at {@code dts}. Returns the PCR base to put in
     * that PES's first packet, or -1; a PCR due while the PES is on another PID goes out in a PCR-only packet.
     */
    private long pcrBefore(ByteArrayOutputStream out, int pid, long dts, boolean keyframe) {
        int pcrPid = pcrPid();
        boolean onPcrPid = pid == pcrPid;
        long candidate = dts - PCR_LEAD_TICKS;
        boolean due = pcrDue
                || (onPcrPid && keyframe)
                || candidate - lastPcr >= MAX_PCR_INTERVAL_TICKS;
        if (!due) {
            return -1;
        }
        long pcr = Math.max(candidate, lastPcr); // the clock never runs backwards, even if audio lags the video
        lastPcr = pcr;
        pcrDue = false;
        if (onPcrPid) {
            return MpegTsClock.wrap(pcr);
        }
        packets.writePcrOnly(out, pcrPid, pcr);
        return -1;
    }

    /** The PID carrying the PCR: video if there is video, else audio, else none (2.4.4.9). */
    private int pcrPid() {
        if (video != null) {
            return MpegTsPids.VIDEO;
        }
        return audio != null ? MpegTsPids.AUDIO : MpegTsPids.NULL;
    }
}
