package io.liveshard.protocol.sdp;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * An answer to a WHEP offer and what it settled, for the session that will send the media.
 *
 * @param text              the answer SDP, CRLF line endings
 * @param video             the accepted video section, empty when none
 * @param audio             the accepted audio section, empty when none
 * @param remoteIceUfrag    the offerer's ICE ufrag (the remote half of STUN USERNAME)
 * @param remoteIcePwd      the offerer's ICE password
 * @param remoteFingerprint the offerer's sha-256 certificate fingerprint, to check its DTLS certificate against
 */
public record SdpAnswer(String text, Optional<Video> video, Optional<Audio> audio, String remoteIceUfrag,
        String remoteIcePwd, SdpFingerprint remoteFingerprint) {

    /**
     * @param mid                 the section's mid, empty without BUNDLE
     * @param payloadType         the H.264 payload type to send with
     * @param profileLevelId      its profile-level-id as offered
     * @param rtxPayloadType      the RTX payload type bound to it (RFC 4588), if offered
     * @param nack                the offerer accepts generic NACK (RFC 4585 section 4.2)
     * @param pli                 the offerer sends Picture Loss Indications
     * @param fir                 the offerer sends Full Intra Requests (RFC 5104)
     */
    public record Video(Optional<String> mid, int payloadType, SdpH264ProfileLevelId profileLevelId,
            OptionalInt rtxPayloadType, boolean nack, boolean pli, boolean fir) {
    }

    /**
     * @param mid         the section's mid, empty without BUNDLE
     * @param payloadType the opus/48000/2 payload type to send with
     */
    public record Audio(Optional<String> mid, int payloadType) {
    }
}
