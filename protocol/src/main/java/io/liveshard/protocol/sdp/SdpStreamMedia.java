package io.liveshard.protocol.sdp;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the stream being played can send, which decides the media sections an answer accepts.
 *
 * @param h264          profile-level-id of the source's H.264 (from its SPS), empty for a stream without video
 * @param opusAudio     whether Opus audio is available (native, or transcoded from AAC)
 * @param mediaStreamId id for {@code a=msid} (RFC 8830 section 2), so the player's track arrives in one
 *                      MediaStream: 1..64 token characters
 */
public record SdpStreamMedia(Optional<SdpH264ProfileLevelId> h264, boolean opusAudio, String mediaStreamId) {

    /** RFC 8830 section 2: msid-id is 1*64token-char. */
    private static final Pattern MSID_ID = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]{1,64}");

    public SdpStreamMedia {
        if (!MSID_ID.matcher(mediaStreamId).matches()) {
            throw new IllegalArgumentException("media stream id must be 1..64 token characters (RFC 8830)");
        }
    }
}
