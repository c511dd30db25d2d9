package io.liveshard.protocol.sdp;

import java.util.Optional;

/**
 * An offered H.264 payload type the server could send with: packetization-mode=1 (RFC 6184 section 6.3, the
 * FU-A/STAP-A mode the packetizer uses) and a valid profile-level-id. Scores how well it fits the source.
 *
 * @param payloadType    the offered payload type
 * @param profileLevelId its profile-level-id, or the RFC 6184 section 8.1 default when absent
 * @param asymmetry      level-asymmetry-allowed=1: the offerer receives any level (RFC 6184 section 8.1)
 * @param order          position among the section's H.264 candidates (the offerer's preference)
 */
record SdpH264Candidate(SdpPayloadType payloadType, SdpH264ProfileLevelId profileLevelId, boolean asymmetry,
        int order) {

    /** The candidate for this payload type, or empty when it is not H.264 with packetization-mode=1. */
    static Optional<SdpH264Candidate> of(SdpPayloadType payloadType, int order) {
        if (!payloadType.is("H264", 90000)
                || !payloadType.fmtpParameter("packetization-mode").filter("1"::equals).isPresent()) {
            return Optional.empty();
        }
        Optional<String> hex = payloadType.fmtpParameter("profile-level-id");
        SdpH264ProfileLevelId profileLevelId;
        try {
            profileLevelId = hex.isPresent() ? SdpH264ProfileLevelId.parse(hex.get()) : SdpH264ProfileLevelId.DEFAULT;
        } catch (SdpException malformed) {
            // One malformed codec entry should not cost the viewer the others the offer lists.
            return Optional.empty();
        }
        boolean asymmetry = payloadType.fmtpParameter("level-asymmetry-allowed").filter("1"::equals).isPresent();
        return Optional.of(new SdpH264Candidate(payloadType, profileLevelId, asymmetry, order));
    }

    /** 2 for the source's profile_idc, 1 for a profile whose decoders also decode the source, 0 for neither. */
    int fit(SdpH264ProfileLevelId source) {
        if (profileLevelId.profileIdc() == source.profileIdc()) {
            return 2;
        }
        return profileLevelId.decodesOtherProfile(source) ? 1 : 0;
    }

    /**
     * Whether the offerer accepts the source's level: level-asymmetry-allowed=1 lets the sender use any level,
     * otherwise the offered level must be at least the source's. Level 1b's special coding is not told apart from
     * 1.1; no live source uses it.
     */
    boolean levelFits(SdpH264ProfileLevelId source) {
        return asymmetry || profileLevelId.levelIdc() >= source.levelIdc();
    }

    /** 2 for the source's exact constraint flags, 1 when the source meets every flag offered, 0 otherwise. */
    int constraints(SdpH264ProfileLevelId source) {
        if (profileLevelId.profileIop() == source.profileIop()) {
            return 2;
        }
        return profileLevelId.constraintsMetBy(source) ? 1 : 0;
    }
}
