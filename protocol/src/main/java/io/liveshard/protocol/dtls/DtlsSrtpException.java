package io.liveshard.protocol.dtls;

import java.io.IOException;

/** A DTLS-SRTP handshake that did not produce keys; the message says why in terms an operator can act on. */
public final class DtlsSrtpException extends IOException {

    public DtlsSrtpException(String message, Throwable cause) {
        super(message, cause);
    }
}
