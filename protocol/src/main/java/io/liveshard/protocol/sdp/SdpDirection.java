package io.liveshard.protocol.sdp;

import java.util.Optional;

/** Media direction attributes (RFC 8866 sections 6.7.1 to 6.7.4), seen from the side that wrote them. */
public enum SdpDirection {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String token;

    SdpDirection(String token) {
        this.token = token;
    }

    /** The attribute name, as in {@code a=recvonly}. */
    public String token() {
        return token;
    }

    public static Optional<SdpDirection> fromToken(String token) {
        for (SdpDirection direction : values()) {
            if (direction.token.equals(token)) {
                return Optional.of(direction);
            }
        }
        return Optional.empty();
    }

    /** Whether the writer of this direction accepts media from its peer. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }
}
