package io.liveshard.protocol.sdp;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * What the stream being played can send, which decides the media sections an answer accepts.
 *
 * @param h264          profile-level-id of the source's H.264 (from its SPS), empty for a stream without video
 * @param opusAudio     whether Opus audio is available (native, or transcoded from AAC)
 * @param mediaStreamId id for {@code a=msid} (RFC 8830 section 2), so the player's track arrives in one
 *                      MediaStream: 1..64 token characters
 * @param videoSsrc     the video SSRC to announce with {@code a=ssrc} (RFC 5576), if any
 * @param audioSsrc     the audio SSRC to announce, if any
 * @param rtxSsrc       the SSRC of video retransmissions (RFC 4588), announced with {@code a=ssrc-group:FID} when
 *                      the offer has rtx for the chosen H.264 payload type and a video SSRC is announced
 */
public record SdpStreamMedia(Optional<SdpH264ProfileLevelId> h264, boolean opusAudio, String mediaStreamId,
        OptionalLong videoSsrc, OptionalLong audioSsrc, OptionalLong rtxSsrc) {

    /** RFC 8830 section 2: msid-id is 1*64token-char. */
    private static final Pattern MSID_ID = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]{1,64}");

    public SdpStreamMedia {
        if (!MSID_ID.matcher(mediaStreamId).matches()) {
            throw new IllegalArgumentException("media stream id must be 1..64 token characters (RFC 8830)");
        }
        for (OptionalLong ssrc : new OptionalLong[] {videoSsrc, audioSsrc, rtxSsrc}) {
            if (ssrc.isPresent() && (ssrc.getAsLong() < 0 || ssrc.getAsLong() > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("an SSRC is 32 bits, not " + ssrc.getAsLong());
            }
        }
    }

    /** Announcing only the video SSRC. */
    public SdpStreamMedia(Optional<SdpH264ProfileLevelId> h264, boolean opusAudio, String mediaStreamId,
                          OptionalLong videoSsrc) {
        this(h264, opusAudio, mediaStreamId, videoSsrc, OptionalLong.empty(), OptionalLong.empty());
    }

    /** Without an announced video SSRC (receivers that route by payload type or MID do not need one). */
    public SdpStreamMedia(Optional<SdpH264ProfileLevelId> h264, boolean opusAudio, String mediaStreamId) {
        this(h264, opusAudio, mediaStreamId, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }
}
