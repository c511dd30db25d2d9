package io.liveshard.node.qoe;

/** A QoE report the node refuses; the message says which field is wrong and is sent back with the 400. */
public final class QoeBeaconException extends Exception {

    public QoeBeaconException(String message) {
        super(message);
    }
}
