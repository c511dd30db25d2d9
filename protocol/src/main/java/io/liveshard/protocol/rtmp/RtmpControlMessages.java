package io.liveshard.protocol.rtmp;

import java.nio.ByteBuffer;

/**
 * Payloads of the protocol control messages (Adobe RTMP specification 1.0, section 5.4,
 * https://rtmp.veriskope.com/docs/spec/) and user control messages (section 7.1.7) the server sends.
 */
final class RtmpControlMessages {

    /** Set Peer Bandwidth limit type "dynamic" (section 5.4.5): hard unless the peer already treats it as soft. */
    static final int PEER_BANDWIDTH_DYNAMIC = 2;

    private RtmpControlMessages() {
    }

    static byte[] setChunkSize(int chunkSize) {
        return ByteBuffer.allocate(4).putInt(chunkSize).array();
    }

    /** Section 5.4.3: the sequence number is the byte count so far, modulo 2^32. */
    static byte[] acknowledgement(long bytesReceived) {
        return ByteBuffer.allocate(4).putInt((int) bytesReceived).array();
    }

    static byte[] windowAckSize(int windowSize) {
        return ByteBuffer.allocate(4).putInt(windowSize).array();
    }

    static byte[] setPeerBandwidth(int windowSize, int limitType) {
        return ByteBuffer.allocate(5).putInt(windowSize).put((byte) limitType).array();
    }

    /** An event with a 32-bit value: a message stream id, or a ping timestamp. */
    static byte[] userControl(RtmpUserControlEvent event, int value) {
        return ByteBuffer.allocate(6).putShort((short) event.code()).putInt(value).array();
    }
}
