package io.liveshard.protocol.amf;

/** AMF0 data that cannot be decoded: truncated, nested too deeply, oversize or using an unsupported type marker. */
public final class Amf0Exception extends Exception {

    public Amf0Exception(String message) {
        super(message);
    }
}
