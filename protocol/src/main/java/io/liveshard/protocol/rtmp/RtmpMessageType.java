package io.liveshard.protocol.rtmp;

import java.util.Optional;

/**
 * RTMP message type ids (Adobe RTMP specification 1.0, sections 5.4 and 7.1,
 * https://rtmp.veriskope.com/docs/spec/).
 */
public enum RtmpMessageType {
    /** Section 5.4.1: the sender's new maximum chunk size. */
    SET_CHUNK_SIZE(1),
    /** Section 5.4.2: discard the partly received message on a chunk stream. */
    ABORT(2),
    /** Section 5.4.3: bytes received so far. */
    ACKNOWLEDGEMENT(3),
    /** Section 6.2 and 7.1.7: stream begin, ping and friends. */
    USER_CONTROL(4),
    /** Section 5.4.4: how many bytes the peer may send before it must see an acknowledgement. */
    WINDOW_ACK_SIZE(5),
    /** Section 5.4.5: limits the peer's output bandwidth. */
    SET_PEER_BANDWIDTH(6),
    AUDIO(8),
    VIDEO(9),
    DATA_AMF3(15),
    SHARED_OBJECT_AMF3(16),
    COMMAND_AMF3(17),
    DATA_AMF0(18),
    SHARED_OBJECT_AMF0(19),
    COMMAND_AMF0(20),
    /** Section 7.1.6: several audio, video or data messages in one, each framed like an FLV tag. */
    AGGREGATE(22);

    private static final RtmpMessageType[] BY_CODE = new RtmpMessageType[AGGREGATE.code + 1];

    static {
        for (RtmpMessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    RtmpMessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this id, or empty for an id the spec does not define. */
    public static Optional<RtmpMessageType> fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? Optional.ofNullable(BY_CODE[code]) : Optional.empty();
    }
}
