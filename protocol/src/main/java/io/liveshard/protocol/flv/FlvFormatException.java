package io.liveshard.protocol.flv;

/**
 * An FLV tag, tag header or file header that does not follow the
 * <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1</a> or
 * <a href="https://veovera.org/docs/enhanced/enhanced-rtmp-v2">Enhanced RTMP v2</a>. The message says what was wrong
 * in words a stream operator can act on.
 */
public class FlvFormatException extends Exception {

    public FlvFormatException(String message) {
        super(message);
    }
}
