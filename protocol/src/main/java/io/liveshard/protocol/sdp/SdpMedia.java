package io.liveshard.protocol.sdp;

import java.util.List;
import java.util.Optional;

/**
 * One m= section of an offer (RFC 8866 section 5.14) with the attributes WebRTC uses. ICE credentials, fingerprints,
 * setup and direction are resolved: the media-level value, else the session-level one (RFC 8839 section 5.4,
 * RFC 8122 section 5, RFC 4145 section 4, RFC 8866 section 6.7).
 *
 * @param index        position among the offer's m= sections, from 0
 * @param kind         media type: video, audio, application, ...
 * @param port         0 when the offerer rejects or disables the section
 * @param protocol     e.g. {@code UDP/TLS/RTP/SAVPF}
 * @param formats      the m= line's format list as written
 * @param payloadTypes one entry per format of an RTP section, in m= line order (the offerer's preference)
 * @param mid          {@code a=mid} (RFC 8843 section 9.1)
 * @param direction    {@code a=sendrecv|sendonly|recvonly|inactive}; sendrecv when absent
 * @param rtcpMux      {@code a=rtcp-mux} (RFC 8035)
 * @param iceUfrag     {@code a=ice-ufrag}
 * @param icePwd       {@code a=ice-pwd}
 * @param fingerprints {@code a=fingerprint} lines
 * @param setup        {@code a=setup}
 * @param extmaps      {@code a=extmap} lines
 */
public record SdpMedia(int index, String kind, int port, String protocol, List<String> formats,
        List<SdpPayloadType> payloadTypes, Optional<String> mid, SdpDirection direction, boolean rtcpMux,
        Optional<String> iceUfrag, Optional<String> icePwd, List<SdpFingerprint> fingerprints, Optional<SdpSetup> setup,
        List<SdpExtmap> extmaps) {

    /** The only transport WebRTC media uses (RFC 8829 section 5.1.2). */
    public static final String WEBRTC_RTP_PROTOCOL = "UDP/TLS/RTP/SAVPF";

    public SdpMedia {
        formats = List.copyOf(formats);
        payloadTypes = List.copyOf(payloadTypes);
        fingerprints = List.copyOf(fingerprints);
        extmaps = List.copyOf(extmaps);
    }

    public Optional<SdpPayloadType> payloadType(int payloadType) {
        return payloadTypes.stream().filter(p -> p.payloadType() == payloadType).findFirst();
    }

    /** The first fingerprint using this hash function. */
    public Optional<SdpFingerprint> fingerprint(String hashFunction) {
        return fingerprints.stream().filter(f -> f.hashFunction().equals(hashFunction)).findFirst();
    }

    /** Whether formats are RTP payload types (RFC 8866 section 5.14: for RTP/... protocols). */
    static boolean isRtp(String protocol) {
        return protocol.contains("RTP/");
    }
}
