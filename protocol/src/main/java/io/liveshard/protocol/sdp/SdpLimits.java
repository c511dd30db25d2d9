package io.liveshard.protocol.sdp;

/**
 * What parsing one offer may cost. RFC 8866 sets no limits; these are far above what real WebRTC offers use.
 *
 * @param maxLength        largest offer, in characters
 * @param maxLineLength    longest line, in characters, without its line ending
 * @param maxLines         most lines
 * @param maxMediaSections most m= sections
 */
public record SdpLimits(int maxLength, int maxLineLength, int maxLines, int maxMediaSections) {

    /** Largest offer that may be configured; a Chromium offer with audio, video and candidates is about 6 KiB. */
    public static final int MAX_LENGTH = 1024 * 1024;

    /**
     * Longest line that may be configured. The longest lines of real offers are the m=video format list (about 100
     * characters for Chromium's two dozen payload types) and fingerprints (sha-512: 200 characters).
     */
    public static final int MAX_LINE_LENGTH = 64 * 1024;

    public SdpLimits {
        requireRange("max length", maxLength, 1, MAX_LENGTH);
        requireRange("max line length", maxLineLength, 1, MAX_LINE_LENGTH);
        requireRange("max lines", maxLines, 1, MAX_LENGTH);
        requireRange("max media sections", maxMediaSections, 1, 1024);
    }

    /** 64 KiB offers, 4096-character lines, 2000 lines, 16 media sections (a WHEP player uses two). */
    public static SdpLimits defaults() {
        return new SdpLimits(64 * 1024, 4096, 2000, 16);
    }

    private static void requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " out of range " + min + ".." + max);
        }
    }
}
