package io.liveshard.protocol.fmp4;

/**
 * Writes the one sample entry of a track's stsd: {@code avc1}/{@code hvc1} (VisualSampleEntry, ISO/IEC 14496-12,
 * 12.1.3, with the avcC or hvcC of ISO/IEC 14496-15, 5.4.2 and 8.4.1), {@code mp4a} (AudioSampleEntry, 12.2.3, with
 * the esds of ISO/IEC 14496-14, 5.6) or {@code Opus} (with dOps, Opus in ISOBMFF 4.3).
 *
 * @see <a href="https://www.iso.org/standard/83102.html">ISO/IEC 14496-12, 12.1.3 and 12.2.3</a>
 */
final class Fmp4SampleEntryWriter {

    /** Every sample refers to the one data reference, the self-contained 'url ' of dref (8.7.2). */
    static final int DATA_REFERENCE_INDEX = 1;

    /** 72 dpi in 16.16 fixed point, the value VisualSampleEntry requires (12.1.3.2). */
    private static final long RESOLUTION_72_DPI = 0x0048_0000L;

    /** depth 0x0018: images in colour with no alpha (12.1.3.2). */
    private static final int DEPTH_COLOUR = 0x0018;

    /** compressorname is a fixed 32-byte Pascal string (12.1.3.2); left empty. */
    private static final int COMPRESSOR_NAME_SIZE = 32;

    /** AudioSampleEntry samplesize: 16 bits, the required value (12.2.3.2). */
    private static final int AUDIO_SAMPLE_SIZE = 16;

    /** samplerate is 16.16 fixed point, so only rates up to 65535 Hz fit (12.2.3.2). */
    private static final int MAX_FIXED_POINT_RATE = 0xFFFF;

    /** ES_DescrTag, DecoderConfigDescrTag, DecSpecificInfoTag, SLConfigDescrTag (ISO/IEC 14496-1, 7.2.2.1). */
    private static final int ES_DESCRIPTOR_TAG = 0x03;
    private static final int DECODER_CONFIG_DESCRIPTOR_TAG = 0x04;
    private static final int DECODER_SPECIFIC_INFO_TAG = 0x05;
    private static final int SL_CONFIG_DESCRIPTOR_TAG = 0x06;

    /** objectTypeIndication 0x40: Audio ISO/IEC 14496-3, i.e. AAC (ISO/IEC 14496-1, Table 5). */
    private static final int OBJECT_TYPE_MPEG4_AUDIO = 0x40;

    /** streamType 0x05 (AudioStream, Table 6) shifted over upStream 0 and the reserved bit 1 (7.2.6.6.1). */
    private static final int STREAM_TYPE_AUDIO_BYTE = 0x05 << 2 | 1;

    /** SLConfigDescriptor predefined 2: the value MP4 files must use (ISO/IEC 14496-14, ES_Descriptor rules). */
    private static final int SL_PREDEFINED_MP4 = 2;

    /** Descriptor sizes are 7 bits per byte, high bit meaning "more follows" (ISO/IEC 14496-1, 8.3.3). */
    private static final int DESCRIPTOR_SIZE_BITS = 7;

    private Fmp4SampleEntryWriter() {
    }

    static void write(Mp4BoxWriter out, Fmp4Track track) {
        switch (track.codec()) {
            case H264 -> visual(out, track, "avc1", "avcC");
            case H265 -> visual(out, track, "hvc1", "hvcC");
            case AAC -> mp4a(out, track);
            case OPUS -> opus(out, track);
            default -> throw new IllegalStateException("no sample entry for " + track.codec());
        }
    }

    private static void visual(Mp4BoxWriter out, Fmp4Track track, String entryType, String configType) {
        int entry = out.begin(entryType);
        sampleEntryHeader(out);
        out.zeros(2 + 2 + 12); // pre_defined, reserved, pre_defined[3]
        out.u16(track.width()).u16(track.height());
        out.u32(RESOLUTION_72_DPI).u32(RESOLUTION_72_DPI);
        out.u32(0); // reserved
        out.u16(1); // frame_count: one frame per sample
        out.zeros(COMPRESSOR_NAME_SIZE);
        out.u16(DEPTH_COLOUR).u16(0xFFFF); // depth, pre_defined = -1
        int config = out.begin(configType);
        out.bytes(track.configBytes());
        out.end(config);
        out.end(entry);
    }

    private static void mp4a(Mp4BoxWriter out, Fmp4Track track) {
        int entry = out.begin("mp4a");
        audioEntryHeader(out, track);
        int esds = out.beginFull("esds", 0, 0);
        byte[] asc = track.configBytes();
        int decoderSpecificInfo = descriptorSize(asc.length);
        int decoderConfig = 13 + decoderSpecificInfo;
        int slConfig = descriptorSize(1);
        descriptorHeader(out, ES_DESCRIPTOR_TAG, 3 + descriptorSize(decoderConfig) + slConfig);
        out.u16(0).u8(0); // ES_ID (ignored in MP4), no dependency, URL or OCR stream
        descriptorHeader(out, DECODER_CONFIG_DESCRIPTOR_TAG, decoderConfig);
        out.u8(OBJECT_TYPE_MPEG4_AUDIO).u8(STREAM_TYPE_AUDIO_BYTE);
        out.u24(0).u32(0).u32(0); // bufferSizeDB, maxBitrate, avgBitrate: unknown for a live stream
        descriptorHeader(out, DECODER_SPECIFIC_INFO_TAG, asc.length);
        out.bytes(asc);
        descriptorHeader(out, SL_CONFIG_DESCRIPTOR_TAG, 1);
        out.u8(SL_PREDEFINED_MP4);
        out.end(esds);
        out.end(entry);
    }

    private static void opus(Mp4BoxWriter out, Fmp4Track track) {
        int entry = out.begin("Opus");
        audioEntryHeader(out, track);
        int dops = out.begin("dOps");
        out.bytes(track.configBytes());
        out.end(dops);
        out.end(entry);
    }

    private static void sampleEntryHeader(Mp4BoxWriter out) {
        out.zeros(6).u16(DATA_REFERENCE_INDEX); // reserved, data_reference_index (8.5.2.2)
    }

    private static void audioEntryHeader(Mp4BoxWriter out, Fmp4Track track) {
        sampleEntryHeader(out);
        out.zeros(8); // reserved
        out.u16(track.channels()).u16(AUDIO_SAMPLE_SIZE);
        out.u16(0).u16(0); // pre_defined, reserved
        // Rates above 65535 Hz do not fit; decoders take the real rate from the esds or dOps.
        int rate = track.sampleRate() <= MAX_FIXED_POINT_RATE ? track.sampleRate() : 0;
        out.u32((long) rate << 16);
    }

    /** The bytes a descriptor of {@code payload} bytes takes: tag, size field and payload. */
    private static int descriptorSize(int payload) {
        return 1 + sizeFieldLength(payload) + payload;
    }

    private static int sizeFieldLength(int payload) {
        int length = 1;
        while (payload >>> (DESCRIPTOR_SIZE_BITS * length) != 0) {
            length++;
        }
        return length;
    }

    private static void descriptorHeader(Mp4BoxWriter out, int tag, int payload) {
        out.u8(tag);
        for (int shift = DESCRIPTOR_SIZE_BITS * (sizeFieldLength(payload) - 1); shift > 0;
                shift -= DESCRIPTOR_SIZE_BITS) {
            out.u8(0x80 | (payload >>> shift) & 0x7F);
        }
        out.u8(payload & 0x7F);
    }
}
