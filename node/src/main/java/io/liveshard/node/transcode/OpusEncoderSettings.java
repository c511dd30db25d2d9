package io.liveshard.node.transcode;

import java.util.Locale;

/**
 * How AAC is encoded to Opus for artc viewers ({@code liveshard.artc.opus-*}).
 *
 * @param bitrate     bits per second
 * @param application libopus's coding mode, see {@link Application}
 * @param complexity  libopus's 0 (fastest) to 10 (best quality)
 */
public record OpusEncoderSettings(int bitrate, Application application, int complexity) {

    /** libopus's range for stereo (RFC 6716 2.1.1 describes 6 to 510 kbit/s). */
    private static final int MIN_BITRATE = 6_000;
    private static final int MAX_BITRATE = 510_000;
    private static final int MAX_COMPLEXITY = 10;

    /**
     * libopus's applications, by the name FFmpeg's libopus encoder takes for them.
     *
     * <p>{@link #LOW_DELAY} (restricted low delay) codes CELT only: 2.5 ms of look-ahead instead of 6.5, and no
     * signal analysis for choosing between SILK and CELT, which is half of the encoder's time with {@link #AUDIO}
     * (docs/PERFORMANCE.md, "artc: AAC → Opus transcoding cost"). What it gives up is SILK, which only the lowest
     * bitrates choose for speech, and with it the in-band FEC (SILK's LBRR). {@link #AUDIO} is for those low
     * bitrates; {@link #VOIP} favours speech intelligibility further.
     */
    public enum Application {
        LOW_DELAY("lowdelay"),
        AUDIO("audio"),
        VOIP("voip");

        private final String ffmpegName;

        Application(String ffmpegName) {
            this.ffmpegName = ffmpegName;
        }

        /** The value of FFmpeg's {@code application} option. */
        public String ffmpegName() {
            return ffmpegName;
        }

        /** The application named {@code name} as the configuration spells it ({@code lowdelay}, ...). */
        public static Application named(String name) {
            for (Application application : values()) {
                if (application.ffmpegName.equals(name.toLowerCase(Locale.ROOT))) {
                    return application;
                }
            }
            throw new IllegalArgumentException("liveshard.artc.opus-application \"" + name
                    + "\" is none of lowdelay, audio, voip");
        }
    }

    public OpusEncoderSettings {
        if (bitrate < MIN_BITRATE || bitrate > MAX_BITRATE) {
            throw new IllegalArgumentException("liveshard.artc.opus-bitrate " + bitrate + " outside "
                    + MIN_BITRATE + ".." + MAX_BITRATE + " bits per second");
        }
        if (complexity < 0 || complexity > MAX_COMPLEXITY) {
            throw new IllegalArgumentException("liveshard.artc.opus-complexity " + complexity + " outside 0.."
                    + MAX_COMPLEXITY);
        }
        if (application == null) {
            throw new IllegalArgumentException("liveshard.artc.opus-application missing");
        }
    }

    /** The in-band FEC is SILK's: asked for only where SILK may be used. */
    boolean inBandFec() {
        return application != Application.LOW_DELAY;
    }
}
