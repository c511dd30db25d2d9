package io.liveshard.protocol.rtmp;

import java.util.Optional;

/**
 * Event types of a User Control message (Adobe RTMP specification 1.0, section 7.1.7,
 * https://rtmp.veriskope.com/docs/spec/). The payload is a 16-bit event type followed by its event data.
 */
public enum RtmpUserControlEvent {
    /** Data: the message stream id that became functional. */
    STREAM_BEGIN(0),
    /** Data: the message stream id whose playback ended. */
    STREAM_EOF(1),
    STREAM_DRY(2),
    /** Data: stream id and the client's buffer length in milliseconds. */
    SET_BUFFER_LENGTH(3),
    STREAM_IS_RECORDED(4),
    /** Data: a timestamp the other side echoes in a {@link #PING_RESPONSE}. */
    PING_REQUEST(6),
    PING_RESPONSE(7);

    private final int code;

    RtmpUserControlEvent(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The event with this type, or empty for a type the spec does not define. */
    public static Optional<RtmpUserControlEvent> fromCode(int code) {
        for (RtmpUserControlEvent event : values()) {
            if (event.code == code) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }
}
