package io.liveshard.protocol.mpegts;

import io.liveshard.protocol.codec.AacAudioSpecificConfig;

/**
 * The 7-byte ADTS header (ISO/IEC 14496-3 1.A.2.2, adts_fixed_header and adts_variable_header, without CRC) that
 * MPEG-TS stream_type 0x0F requires in front of every raw AAC frame: the frame carries its own codec configuration,
 * because a transport stream has no sequence header.
 *
 * <p>ADTS can express less than an AudioSpecificConfig: a 2-bit profile (audio object types 1 to 4), a table sampling
 * frequency and a channel configuration. HE-AAC (SBR, object type 5) and HE-AAC v2 (PS, 29) are written as AAC LC at
 * the core sampling frequency, which is how implicit SBR/PS signalling works and what decoders expect from ADTS.
 *
 * @see <a href="https://www.iso.org/standard/76383.html">ISO/IEC 14496-3, 1.A.2.2 and 1.A.3.2</a>
 */
final class AdtsHeader {

    /** protection_absent = 1: no CRC, so the header is 7 bytes. */
    static final int SIZE = 7;

    /** aac_frame_length is 13 bits and counts the header (1.A.3.2.2). */
    static final int MAX_FRAME_LENGTH = (1 << 13) - 1;

    /** audioObjectType of SBR (HE-AAC) and of parametric stereo (HE-AAC v2), Table 1.17. */
    private static final int SBR = 5;
    private static final int PS = 29;

    /** The largest audioObjectType the 2-bit profile field (profile_ObjectType = audioObjectType - 1) can hold. */
    private static final int MAX_ADTS_OBJECT_TYPE = 4;

    /** adts_buffer_fullness 0x7FF: variable bit rate (1.A.3.2.2). */
    private static final int BUFFER_FULLNESS_VBR = 0x7FF;

    private final int profile;
    private final int samplingFrequencyIndex;
    private final int channelConfiguration;

    private AdtsHeader(int profile, int samplingFrequencyIndex, int channelConfiguration) {
        this.profile = profile;
        this.samplingFrequencyIndex = samplingFrequencyIndex;
        this.channelConfiguration = channelConfiguration;
    }

    /**
     * The header fields for a stream with this configuration.
     *
     * @throws MpegTsException when ADTS cannot describe the configuration: another object type than AAC Main, LC,
     *                         SSR, LTP, SBR or PS, an explicit sampling frequency, or channelConfiguration 0 (a
     *                         program config element, which would have to travel in every frame)
     */
    static AdtsHeader forConfig(AacAudioSpecificConfig config) throws MpegTsException {
        int objectType = config.audioObjectType();
        if (objectType == SBR || objectType == PS) {
            objectType = AacAudioSpecificConfig.AAC_LC;
        }
        if (objectType > MAX_ADTS_OBJECT_TYPE) {
            throw new MpegTsException("AAC audioObjectType " + config.audioObjectType()
                    + " cannot be signalled in ADTS (profiles 1-4 only)");
        }
        if (config.samplingFrequencyIndex() == AacAudioSpecificConfig.EXPLICIT_FREQUENCY_INDEX) {
            throw new MpegTsException("AAC sample rate " + config.sampleRate()
                    + " Hz has no samplingFrequencyIndex, which ADTS needs");
        }
        if (config.channelConfiguration() == 0 || config.channelConfiguration() > 7) {
            throw new MpegTsException("AAC channelConfiguration " + config.channelConfiguration()
                    + " cannot be signalled in ADTS (1-7 only)");
        }
        return new AdtsHeader(objectType - 1, config.samplingFrequencyIndex(), config.channelConfiguration());
    }

    /**
     * The header for one raw AAC frame of {@code rawLength} bytes.
     *
     * @throws MpegTsException when header and frame exceed the 13-bit aac_frame_length
     */
    byte[] forFrame(int rawLength) throws MpegTsException {
        int frameLength = SIZE + rawLength;
        if (rawLength < 0 || frameLength > MAX_FRAME_LENGTH) {
            throw new MpegTsException("AAC frame of " + rawLength + " bytes does not fit ADTS's "
                    + MAX_FRAME_LENGTH + "-byte frame length");
        }
        byte[] header = new byte[SIZE];
        header[0] = (byte) 0xFF; // syncword 0xFFF ...
        header[1] = (byte) 0xF1; // ... ID 0 (MPEG-4), layer '00', protection_absent 1
        header[2] = (byte) ((profile << 6) | (samplingFrequencyIndex << 2) | (channelConfiguration >>> 2));
        // channel_configuration low bits; original_copy, home, copyright bits 0; aac_frame_length bits 12-11.
        header[3] = (byte) (((channelConfiguration & 0x3) << 6) | (frameLength >>> 11));
        header[4] = (byte) (frameLength >>> 3);
        header[5] = (byte) (((frameLength & 0x7) << 5) | (BUFFER_FULLNESS_VBR >>> 6));
        // adts_buffer_fullness low 6 bits; number_of_raw_data_blocks_in_frame 0: one raw data block.
        header[6] = (byte) ((BUFFER_FULLNESS_VBR & 0x3F) << 2);
        return header;
    }
}
