package io.liveshard.node.qoe;

import java.util.Optional;

/**
 * Why the web player left a protocol for the next one. A fixed set: the reason becomes a metric label value, so it
 * never carries free text from the client.
 */
public enum FallbackReason {
    /** The browser lacks what the protocol needs (RTCPeerConnection, Media Source Extensions). */
    UNSUPPORTED("unsupported"),
    /** The WHEP offer failed: network error or a non-2xx answer. */
    SIGNALLING("signalling"),
    /** The media request failed: network error or a non-2xx answer (HTTP-FLV, HLS playlists). */
    LOAD_ERROR("load-error"),
    /** ICE or DTLS did not connect, or the connection failed. */
    ICE_FAILED("ice-failed"),
    /** No frame was shown within the player's first-frame timeout. */
    NO_MEDIA("no-media"),
    /** Frames stopped during playback and the player's retries did not bring them back. */
    MEDIA_STOPPED("media-stopped"),
    /** The protocol's player library reported a fatal error. */
    PLAYER_ERROR("player-error");

    private final String code;

    FallbackReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<FallbackReason> fromCode(String code) {
        for (FallbackReason reason : values()) {
            if (reason.code.equals(code)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
