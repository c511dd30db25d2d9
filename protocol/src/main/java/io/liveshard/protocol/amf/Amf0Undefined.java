package io.liveshard.protocol.amf;

/**
 * The AMF0 {@code undefined} value (marker 0x06), kept apart from {@code null} (marker 0x05) because some peers
 * tell them apart, e.g. the fourth value of a {@code releaseStream} {@code _result}.
 */
public enum Amf0Undefined {
    INSTANCE
}
