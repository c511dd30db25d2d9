package io.liveshard.protocol.flv;

/**
 * The SoundFormat of an audio tag: the high nibble of AUDIODATA's first byte (Adobe FLV spec v10.1, E.4.2.1).
 * Enhanced RTMP took the formerly reserved value 9 to announce its extended header. 12 and 13 remain reserved.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1</a>
 * @see <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2, ExAudioTagHeader</a>
 */
public enum FlvSoundFormat {
    LINEAR_PCM_PLATFORM_ENDIAN(0),
    ADPCM(1),
    MP3(2),
    LINEAR_PCM_LITTLE_ENDIAN(3),
    NELLYMOSER_16KHZ_MONO(4),
    NELLYMOSER_8KHZ_MONO(5),
    NELLYMOSER(6),
    G711_A_LAW(7),
    G711_MU_LAW(8),
    /** Enhanced RTMP: the low nibble is an AudioPacketType and a FourCC names the codec. */
    EX_HEADER(9),
    AAC(10),
    SPEEX(11),
    MP3_8KHZ(14),
    DEVICE_SPECIFIC(15);

    private final int code;

    FlvSoundFormat(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FlvSoundFormat fromCode(int code) throws FlvFormatException {
        for (FlvSoundFormat format : values()) {
            if (format.code == code) {
                return format;
            }
        }
        throw new FlvFormatException("reserved sound format " + code);
    }
}
