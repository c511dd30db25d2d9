package io.liveshard.protocol.rtmp;

/**
 * One complete RTMP message, reassembled from its chunks (Adobe RTMP specification 1.0, section 6.1,
 * https://rtmp.veriskope.com/docs/spec/).
 *
 * @param chunkStreamId   the chunk stream it arrived on (2..65599)
 * @param typeId          the message type id; see {@link RtmpMessageType}
 * @param timestamp       the absolute timestamp in milliseconds, modulo 2^32 as on the wire
 * @param messageStreamId the message stream id (0 for the connection, otherwise an id from {@code createStream})
 * @param payload         the message body; shared, so nobody may write into it
 */
public record RtmpMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, byte[] payload) {

    @Override
    public String toString() {
        return "RtmpMessage[csid=" + chunkStreamId + " type=" + typeId + " ts=" + timestamp
                + " msid=" + messageStreamId + " bytes=" + payload.length + "]";
    }
}
