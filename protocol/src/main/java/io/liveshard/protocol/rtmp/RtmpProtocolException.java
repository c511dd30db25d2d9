package io.liveshard.protocol.rtmp;

/**
 * A message that breaks the RTMP protocol or this server's limits. It never leaves {@link RtmpServerSession}: the
 * session turns it into its failure reason and reports the failure from {@code onBytes}.
 */
final class RtmpProtocolException extends Exception {

    RtmpProtocolException(String message) {
        super(message);
    }
}
