package io.liveshard.protocol.sdp;

import java.util.List;
import java.util.Optional;

/**
 * A parsed SDP offer (RFC 8866, https://www.rfc-editor.org/rfc/rfc8866) with what a WHEP server needs of it.
 *
 * @param originUsername the o= line's username
 * @param sessionId      the o= line's sess-id
 * @param sessionName    the s= line
 * @param bundleMids     mids of the first {@code a=group:BUNDLE} (RFC 8843 section 7), empty without one
 * @param iceLite        the offerer declared {@code a=ice-lite} (RFC 8839 section 5.3)
 * @param media          the m= sections in order
 */
public record SdpSession(String originUsername, String sessionId, String sessionName, List<String> bundleMids,
        boolean iceLite, List<SdpMedia> media) {

    public SdpSession {
        bundleMids = List.copyOf(bundleMids);
        media = List.copyOf(media);
    }

    /**
     * Parses an offer, accepting CRLF or bare LF line endings (RFC 8866 section 5 asks parsers to accept LF).
     *
     * @throws SdpException when the text is not SDP this server understands, with the line that is wrong
     */
    public static SdpSession parse(String text, SdpLimits limits) throws SdpException {
        return new SdpParser(limits).parse(text);
    }

    public Optional<SdpMedia> mediaByMid(String mid) {
        return media.stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
    }
}
