package io.liveshard.protocol.sdp;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The H.264 {@code profile-level-id} fmtp parameter (RFC 6184 section 8.1): profile_idc, profile-iop (the
 * constraint_set flags) and level_idc of the sequence parameter set, as six hex digits.
 *
 * @param profileIdc 66 Baseline, 77 Main, 100 High, ...
 * @param profileIop constraint_set0..5 flags in the top six bits
 * @param levelIdc   level times ten (31 is level 3.1)
 */
public record SdpH264ProfileLevelId(int profileIdc, int profileIop, int levelIdc) {

    /** RFC 6184 section 8.1: the value when fmtp has no profile-level-id (Baseline, level 1.0). */
    public static final SdpH264ProfileLevelId DEFAULT = new SdpH264ProfileLevelId(0x42, 0x00, 0x0a);

    static final int BASELINE = 66;
    static final int MAIN = 77;
    static final int HIGH = 100;

    private static final int CONSTRAINT_SET0 = 0x80;
    private static final int CONSTRAINT_SET1 = 0x40;
    /** The profile-iop bits H.264 section 7.4.2.1.1 defines; the two lowest are reserved_zero_2bits. */
    private static final int CONSTRAINT_FLAGS = 0xFC;

    private static final Pattern SIX_HEX = Pattern.compile("[0-9A-Fa-f]{6}");

    public SdpH264ProfileLevelId {
        if (profileIdc < 0 || profileIdc > 255 || profileIop < 0 || profileIop > 255 || levelIdc < 0
                || levelIdc > 255) {
            throw new IllegalArgumentException("profile-level-id fields are bytes");
        }
    }

    /** Parses six hex digits such as {@code 42e01f}. */
    public static SdpH264ProfileLevelId parse(String hex) throws SdpException {
        if (!SIX_HEX.matcher(hex).matches()) {
            throw new SdpException("profile-level-id '" + hex + "' is not six hex digits (RFC 6184 section 8.1)");
        }
        byte[] bytes = HexFormat.of().parseHex(hex);
        return new SdpH264ProfileLevelId(bytes[0] & 0xFF, bytes[1] & 0xFF, bytes[2] & 0xFF);
    }

    /** Six lower-case hex digits, as browsers write it. */
    public String toHex() {
        return String.format("%02x%02x%02x", profileIdc, profileIop, levelIdc);
    }

    /**
     * Constrained Baseline: Baseline with constraint_set1 (decodable by Main decoders) or Main with constraint_set0
     * (H.264 section A.2.1.1).
     */
    /** profile_idc 244, High 4:4:4 Predictive (H.264 section A.2.7). */
    static final int HIGH_444_PREDICTIVE = 0xF4;

    public boolean isConstrainedBaseline() {
        return profileIdc == BASELINE && (profileIop & CONSTRAINT_SET1) != 0
                || profileIdc == MAIN && (profileIop & CONSTRAINT_SET0) != 0;
    }

    /**
     * Whether a decoder for this profile also decodes a {@code source} stream of another profile_idc: Constrained
     * Baseline streams conform to Main and High, Main streams to High (H.264 sections A.2.1.1, A.2.2, A.2.4), and
     * High 4:4:4 Predictive decoders decode High, Main and Constrained Baseline streams (A.2.7) — which is what
     * Chromium builds without a High entry of their own offer.
     */
    boolean decodesOtherProfile(SdpH264ProfileLevelId source) {
        if (profileIdc == HIGH_444_PREDICTIVE) {
            return source.profileIdc == HIGH || source.profileIdc == MAIN || source.isConstrainedBaseline();
        }
        if (source.isConstrainedBaseline()) {
            return profileIdc == MAIN || profileIdc == HIGH;
        }
        return source.profileIdc == MAIN && profileIdc == HIGH;
    }

    /** Whether every constraint flag this profile-level-id sets is also set by {@code source}. */
    boolean constraintsMetBy(SdpH264ProfileLevelId source) {
        return (profileIop & CONSTRAINT_FLAGS & ~source.profileIop) == 0;
    }
}
