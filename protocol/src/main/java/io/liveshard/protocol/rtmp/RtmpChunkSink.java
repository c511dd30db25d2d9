package io.liveshard.protocol.rtmp;

/**
 * Where encoded RTMP bytes go, in order.
 *
 * <p>Contract: nobody modifies {@code array} after the call, so the sink may keep a reference to the slice instead
 * of copying it. Media payloads are shared by every viewer of a stream; copying each one per viewer would cost more
 * than everything else the server does.
 */
@FunctionalInterface
public interface RtmpChunkSink {

    void write(byte[] array, int offset, int length);
}
