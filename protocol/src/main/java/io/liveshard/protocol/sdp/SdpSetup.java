package io.liveshard.protocol.sdp;

import java.util.Optional;

/**
 * {@code a=setup} (RFC 4145 section 4, RFC 8842 section 5.2): which side opens the DTLS association. WebRTC
 * offerers send {@code actpass}; this server always answers {@code passive}, i.e. it is the DTLS server.
 */
public enum SdpSetup {
    ACTIVE("active"),
    PASSIVE("passive"),
    ACTPASS("actpass"),
    HOLDCONN("holdconn");

    private final String token;

    SdpSetup(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<SdpSetup> fromToken(String token) {
        for (SdpSetup setup : values()) {
            if (setup.token.equals(token)) {
                return Optional.of(setup);
            }
        }
        return Optional.empty();
    }
}
