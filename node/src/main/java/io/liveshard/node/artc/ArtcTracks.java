package io.liveshard.node.artc;

import java.util.OptionalInt;

/**
 * What a session's SDP answer settled for its media: SSRCs (chosen by the server, announced in the answer) and the
 * offerer's payload types.
 *
 * @param videoSsrc        the H.264 stream's SSRC
 * @param videoPayloadType the offer's H.264 payload type
 * @param rtxPayloadType   the offer's rtx payload type bound to it (RFC 4588), empty when not offered
 * @param rtxSsrc          the RTX stream's SSRC, used only with {@code rtxPayloadType}
 * @param audioPayloadType the offer's opus/48000/2 payload type, empty when audio is declined
 * @param audioSsrc        the Opus stream's SSRC, used only with {@code audioPayloadType}
 */
record ArtcTracks(long videoSsrc, int videoPayloadType, OptionalInt rtxPayloadType, long rtxSsrc,
                  OptionalInt audioPayloadType, long audioSsrc) {
}
