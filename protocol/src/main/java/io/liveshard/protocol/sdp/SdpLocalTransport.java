package io.liveshard.protocol.sdp;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The server's side of the transport, written into every accepted media section of an answer.
 *
 * @param iceUfrag          this session's ICE ufrag, 4..256 ice-chars (RFC 8839 section 5.4)
 * @param icePwd            this session's ICE password, 22..256 ice-chars
 * @param sha256Fingerprint SHA-256 of the DTLS certificate, hex pairs joined by colons
 * @param candidates        the host candidates of the shared UDP socket, at least one
 */
public record SdpLocalTransport(String iceUfrag, String icePwd, SdpFingerprint sha256Fingerprint,
        List<SdpCandidate> candidates) {

    private static final Pattern ICE_UFRAG = Pattern.compile("[A-Za-z0-9+/]{4,256}");
    private static final Pattern ICE_PWD = Pattern.compile("[A-Za-z0-9+/]{22,256}");

    public SdpLocalTransport {
        if (!ICE_UFRAG.matcher(iceUfrag).matches()) {
            throw new IllegalArgumentException("ICE ufrag must be 4..256 ice-chars (RFC 8839 section 5.4)");
        }
        if (!ICE_PWD.matcher(icePwd).matches()) {
            throw new IllegalArgumentException("ICE password must be 22..256 ice-chars (RFC 8839 section 5.4)");
        }
        if (!sha256Fingerprint.hashFunction().equals(SdpFingerprint.SHA_256)) {
            throw new IllegalArgumentException("the answer's fingerprint must be sha-256, not "
                    + sha256Fingerprint.hashFunction());
        }
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("an ICE-lite answer needs at least one candidate");
        }
    }
}
