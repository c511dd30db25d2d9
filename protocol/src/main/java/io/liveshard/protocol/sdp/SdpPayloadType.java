package io.liveshard.protocol.sdp;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One RTP payload type of a media section, with what {@code a=rtpmap}, {@code a=fmtp} and {@code a=rtcp-fb}
 * (RFC 8866 section 6.6, 6.15; RFC 4585 section 4.2) say about it.
 *
 * @param payloadType     0..127
 * @param encodingName    from rtpmap as written (compare ignoring case); empty when the offer has no rtpmap for it
 * @param clockRate       from rtpmap, 0 when absent
 * @param channels        from rtpmap's encoding parameters, 1 when absent (RFC 8866 section 6.6)
 * @param fmtp            the fmtp parameters as written, empty when absent
 * @param fmtpParameters  the {@code key=value} pieces of fmtp, keys in lower case (RFC 6184 section 8.1 and most
 *                        payload formats treat them case-insensitively); pieces without '=' are only in fmtp
 * @param rtcpFeedback    rtcp-fb values for this type or "*", e.g. {@code nack}, {@code nack pli}, {@code ccm fir}
 */
public record SdpPayloadType(int payloadType, String encodingName, int clockRate, int channels, String fmtp,
        Map<String, String> fmtpParameters, List<String> rtcpFeedback) {

    /** RFC 3550 section 5.1: the payload type field has 7 bits. */
    public static final int MAX_PAYLOAD_TYPE = 127;

    public SdpPayloadType {
        fmtpParameters = Map.copyOf(fmtpParameters);
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    /** Whether rtpmap names this codec (ignoring case, RFC 4855 section 3) at this clock rate. */
    public boolean is(String encoding, int rate) {
        return encodingName.equalsIgnoreCase(encoding) && clockRate == rate;
    }

    /** An fmtp parameter by lower-case name. */
    public Optional<String> fmtpParameter(String name) {
        return Optional.ofNullable(fmtpParameters.get(name.toLowerCase(Locale.ROOT)));
    }
}
