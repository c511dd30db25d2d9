package io.liveshard.protocol.rtmp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an aggregate message (Adobe RTMP specification 1.0, section 7.1.6, https://rtmp.veriskope.com/docs/spec/)
 * into the audio, video and data messages it carries. Each sub-message is framed like an FLV tag: type (1 byte),
 * length (3), timestamp (3 + 1 upper byte), stream id (3), body, back pointer (4). The aggregate's own timestamp
 * replaces the first sub-message's; the others keep their distance to it.
 */
final class RtmpAggregateMessage {

    private static final int SUB_HEADER_SIZE = 11;
    private static final int BACK_POINTER_SIZE = 4;

    private RtmpAggregateMessage() {
    }

    static List<RtmpMessage> split(RtmpMessage aggregate) throws RtmpProtocolException {
        byte[] data = aggregate.payload();
        List<RtmpMessage> messages = new ArrayList<>();
        long offsetToAggregate = 0;
        int p = 0;
        while (p < data.length) {
            if (data.length - p < SUB_HEADER_SIZE) {
                throw new RtmpProtocolException("aggregate message ends inside a sub-message header at byte " + p);
            }
            int typeId = data[p] & 0xFF;
            int length = u24(data, p + 1);
            long timestamp = (u24(data, p + 4) | ((long) (data[p + 7] & 0xFF) << 24));
            if (typeId != RtmpMessageType.AUDIO.code() && typeId != RtmpMessageType.VIDEO.code()
                    && typeId != RtmpMessageType.DATA_AMF0.code()) {
                throw new RtmpProtocolException("aggregate sub-message of type " + typeId
                        + " (only audio, video and data may be aggregated)");
            }
            int bodyStart = p + SUB_HEADER_SIZE;
            if (length > data.length - bodyStart) {
                throw new RtmpProtocolException("aggregate sub-message of " + length + " bytes overruns the "
                        + (data.length - bodyStart) + " bytes left");
            }
            if (messages.isEmpty()) {
                offsetToAggregate = aggregate.timestamp() - timestamp;
            }
            messages.add(new RtmpMessage(aggregate.chunkStreamId(), typeId,
                    (timestamp + offsetToAggregate) & 0xFFFFFFFFL, aggregate.messageStreamId(),
                    Arrays.copyOfRange(data, bodyStart, bodyStart + length)));
            // The trailing back pointer is redundant with the length; a missing last one is tolerated.
            p = Math.min(data.length, bodyStart + length + BACK_POINTER_SIZE);
        }
        return messages;
    }

    private static int u24(byte[] data, int p) {
        return ((data[p] & 0xFF) << 16) | ((data[p + 1] & 0xFF) << 8) | (data[p + 2] & 0xFF);
    }
}
