package io.liveshard.protocol.dtls;

import io.liveshard.protocol.srtp.SrtpProfile;
import java.time.Duration;
import java.util.List;

/**
 * Policy of the DTLS-SRTP server.
 *
 * @param handshakeTimeout how long a handshake may take in all, retransmissions included, before it fails
 * @param profiles the SRTP profiles accepted, most preferred first; the server's order wins over the client's
 */
public record DtlsSrtpConfig(Duration handshakeTimeout, List<SrtpProfile> profiles) {

    /**
     * Ten seconds covers BouncyCastle's retransmission backoff (1, 2, 4 s) on a lossy path; GCM is preferred because
     * it authenticates and encrypts in one AES-NI pass with a shorter tag overhead per octet of work.
     */
    public static final DtlsSrtpConfig DEFAULT = new DtlsSrtpConfig(Duration.ofSeconds(10),
            List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80));

    public DtlsSrtpConfig {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()
                || handshakeTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dtls handshake timeout " + handshakeTimeout + " out of range");
        }
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("dtls-srtp needs at least one srtp profile");
        }
        profiles = List.copyOf(profiles);
    }
}
