package io.liveshard.protocol.mpegts;

/**
 * The packet identifiers (13-bit PIDs, ISO/IEC 13818-1 2.4.3.3 and Table 2-3) of the single program LiveShard writes.
 * The elementary stream PIDs are the ones ffmpeg and most HLS packagers use, which keeps captures easy to compare.
 */
public final class MpegTsPids {

    /** The Program Association Table always travels on PID 0 (Table 2-3). */
    public static final int PAT = 0x0000;

    /** The PID of the Program Map Table of program 1; any PID from 0x0010 to 0x1FFE may be used (2.4.4.3). */
    public static final int PMT = 0x1000;

    /** The video elementary stream (H.264 or H.265 PES). */
    public static final int VIDEO = 0x0100;

    /** The audio elementary stream (AAC ADTS PES). */
    public static final int AUDIO = 0x0101;

    /** The null packet PID, which as PCR_PID means "this program has no PCR" (2.4.4.9). */
    public static final int NULL = 0x1FFF;

    /** Number of bits of a PID (2.4.3.2). */
    public static final int PID_BITS = 13;

    private MpegTsPids() {
    }
}
