package io.liveshard.protocol.codec;

/**
 * The leading fields of an MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): the AAC sequence header that RTMP
 * and FLV send as AACPacketType 0, MP4 stores in the esds box, and ADTS headers and RTP (RFC 3640) need.
 * Fields after channelConfiguration (GASpecificConfig, SBR/PS signalling) are not read.
 *
 * @param audioObjectType        audioObjectType, escape 31 already resolved to 32 + the 6-bit extension (2 AAC LC,
 *                               5 SBR, 29 PS, ...)
 * @param samplingFrequencyIndex samplingFrequencyIndex (Table 1.18); 15 means an explicit 24-bit sampleRate follows
 * @param sampleRate             the sampling frequency in Hz, from the table or explicit
 * @param channelConfiguration   channelConfiguration (Table 1.19; 0 means defined in a program config element)
 * @see <a href="https://www.iso.org/standard/76383.html">ISO/IEC 14496-3, 1.6.2.1 and Tables 1.16-1.19</a>
 */
public record AacAudioSpecificConfig(
        int audioObjectType,
        int samplingFrequencyIndex,
        int sampleRate,
        int channelConfiguration) {

    /** audioObjectType escape value: the real type is 32 + the next 6 bits (1.6.2.1 GetAudioObjectType). */
    public static final int AUDIO_OBJECT_TYPE_ESCAPE = 31;

    /** The largest audioObjectType the escape can express: 32 + 63 (1.6.2.1). */
    public static final int MAX_AUDIO_OBJECT_TYPE = 95;

    /** samplingFrequencyIndex value announcing an explicit 24-bit samplingFrequency (Table 1.18). */
    public static final int EXPLICIT_FREQUENCY_INDEX = 15;

    /** AAC LC, what every RTMP encoder sends (Table 1.17). */
    public static final int AAC_LC = 2;

    /** Sampling frequencies for indexes 0..12 (Table 1.18); 13 and 14 are reserved. */
    private static final int[] SAMPLE_RATES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
    };

    public AacAudioSpecificConfig {
        if (audioObjectType < 1 || audioObjectType > MAX_AUDIO_OBJECT_TYPE) {
            throw new IllegalArgumentException("audioObjectType " + audioObjectType + " outside 1.."
                    + MAX_AUDIO_OBJECT_TYPE);
        }
        if (samplingFrequencyIndex == EXPLICIT_FREQUENCY_INDEX) {
            if (sampleRate <= 0 || sampleRate > 0xFF_FFFF) {
                throw new IllegalArgumentException("explicit sample rate " + sampleRate + " outside 1..2^24-1");
            }
        } else if (samplingFrequencyIndex < 0 || samplingFrequencyIndex >= SAMPLE_RATES.length) {
            throw new IllegalArgumentException("samplingFrequencyIndex " + samplingFrequencyIndex + " is reserved");
        } else if (sampleRate != SAMPLE_RATES[samplingFrequencyIndex]) {
            throw new IllegalArgumentException("samplingFrequencyIndex " + samplingFrequencyIndex + " means "
                    + SAMPLE_RATES[samplingFrequencyIndex] + " Hz, not " + sampleRate);
        }
        if (channelConfiguration < 0 || channelConfiguration > 15) {
            throw new IllegalArgumentException("channelConfiguration " + channelConfiguration + " outside 0..15");
        }
    }

    /** A config with a table sampling frequency; the index is looked up. */
    public static AacAudioSpecificConfig of(int audioObjectType, int sampleRate, int channelConfiguration) {
        for (int index = 0; index < SAMPLE_RATES.length; index++) {
            if (SAMPLE_RATES[index] == sampleRate) {
                return new AacAudioSpecificConfig(audioObjectType, index, sampleRate, channelConfiguration);
            }
        }
        return new AacAudioSpecificConfig(audioObjectType, EXPLICIT_FREQUENCY_INDEX, sampleRate, channelConfiguration);
    }

    /**
     * Parses the leading fields of an AudioSpecificConfig, e.g. the payload of an AAC sequence header tag.
     *
     * @throws CodecFormatException when the config is truncated, has audioObjectType 0 or a reserved
     *                              samplingFrequencyIndex
     */
    public static AacAudioSpecificConfig parse(byte[] data, int offset, int length) throws CodecFormatException {
        // The AudioSpecificConfig is MSB-first bit syntax like an H.264 RBSP, without emulation prevention.
        H264BitReader in = new H264BitReader(data, offset, length);
        try {
            int audioObjectType = in.readBits(5);
            if (audioObjectType == AUDIO_OBJECT_TYPE_ESCAPE) {
                audioObjectType = 32 + in.readBits(6);
            }
            if (audioObjectType == 0) {
                throw new CodecFormatException("audioObjectType 0 is not a codec");
            }
            int index = in.readBits(4);
            int sampleRate;
            if (index == EXPLICIT_FREQUENCY_INDEX) {
                sampleRate = in.readBits(24);
                if (sampleRate == 0) {
                    throw new CodecFormatException("explicit sampling frequency is 0 Hz");
                }
            } else if (index >= SAMPLE_RATES.length) {
                throw new CodecFormatException("samplingFrequencyIndex " + index + " is reserved");
            } else {
                sampleRate = SAMPLE_RATES[index];
            }
            int channelConfiguration = in.readBits(4);
            return new AacAudioSpecificConfig(audioObjectType, index, sampleRate, channelConfiguration);
        } catch (CodecFormatException e) {
            throw new CodecFormatException("AudioSpecificConfig of " + length + " bytes: " + e.getMessage());
        }
    }

    /**
     * The config in its shortest wire form: these fields, then GASpecificConfig with frameLengthFlag,
     * dependsOnCoreCoder and extensionFlag all 0, padded to a byte. For AAC LC at a table frequency that is the
     * common 2-byte form ({@code 12 10} for 44.1 kHz stereo).
     */
    public byte[] encode() {
        long bits;
        int count;
        if (audioObjectType >= 32) {
            bits = AUDIO_OBJECT_TYPE_ESCAPE;
            bits = (bits << 6) | (audioObjectType - 32);
            count = 11;
        } else {
            bits = audioObjectType;
            count = 5;
        }
        bits = (bits << 4) | samplingFrequencyIndex;
        count += 4;
        if (samplingFrequencyIndex == EXPLICIT_FREQUENCY_INDEX) {
            bits = (bits << 24) | sampleRate;
            count += 24;
        }
        bits = (bits << 4) | channelConfiguration;
        count += 4;
        bits <<= 3; // frameLengthFlag, dependsOnCoreCoder, extensionFlag
        count += 3;
        int bytes = (count + 7) / 8;
        bits <<= bytes * 8 - count;
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (bits >>> (8 * (bytes - 1 - i)));
        }
        return out;
    }
}
