package io.liveshard.node.qoe;

import java.util.Optional;

/** The playback protocols a player reports QoE for; {@link #code()} is the wire name and the metric label value. */
public enum QoeProtocol {
    ARTC("artc"),
    HTTP_FLV("http-flv"),
    LL_HLS("ll-hls"),
    HLS("hls");

    private final String code;

    QoeProtocol(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The protocol named {@code code}; empty for anything else. */
    public static Optional<QoeProtocol> fromCode(String code) {
        for (QoeProtocol protocol : values()) {
            if (protocol.code.equals(code)) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }
}
