package io.liveshard.protocol.rtmp;

/**
 * What an RTMP connection may ask of the server, and what the server announces.
 *
 * @param maxChunkSize     largest Set Chunk Size a peer may announce, at most {@link #MAX_CHUNK_SIZE}
 * @param maxMessageSize   largest message length a chunk header may declare; longer messages are refused before
 *                         anything is allocated for them
 * @param maxAmfDepth      how deeply AMF0 containers may nest in a command
 * @param maxChunkStreams  how many chunk streams one connection may open (each keeps header state and a buffer)
 * @param outChunkSize     chunk size the server announces and sends with
 * @param windowAckSize    window acknowledgement size and peer bandwidth the server announces, in bytes
 */
public record RtmpLimits(
        int maxChunkSize,
        int maxMessageSize,
        int maxAmfDepth,
        int maxChunkStreams,
        int outChunkSize,
        int windowAckSize) {

    /**
     * Largest chunk size worth announcing: Adobe RTMP specification 1.0 section 5.4.1 allows up to 2^31-1, but no
     * message can be longer than the 24-bit message length field (section 5.3.1.2.1), so a chunk never needs more
     * than 16 MiB.
     */
    public static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;

    /** Smallest chunk size in section 5.4.1; 128 is the default every connection starts with (section 5.3.1). */
    public static final int MIN_CHUNK_SIZE = 1;

    /** Chunk size of a fresh connection in both directions (section 5.4.1). */
    public static final int DEFAULT_CHUNK_SIZE = 128;

    /** Largest message length the 24-bit length field of a chunk message header can carry (section 5.3.1.2.1). */
    public static final int MAX_MESSAGE_SIZE = 0xFFFFFF;

    /**
     * Longest message other than audio, video and aggregates (commands, metadata, control) a chunk header may
     * declare: these are parsed whole (an AMF0 document of millions of tiny objects costs far more memory than its
     * size), and the longest that encoders send (onMetaData) are a few kilobytes.
     */
    public static final int MAX_NON_MEDIA_MESSAGE_SIZE = 64 * 1024;

    /** Chunk stream ids 2..65599 are the ones a 1-, 2- or 3-byte basic header can carry (section 5.3.1.1). */
    public static final int MAX_CHUNK_STREAMS = 65599 - 2 + 1;

    /**
     * Deepest AMF0 nesting that may be configured. The AMF0 specification sets no limit; the decoder recurses once
     * per level, so this keeps it far from the end of a thread's stack.
     */
    public static final int MAX_AMF_DEPTH = 1024;

    public RtmpLimits {
        requireRange("max chunk size", maxChunkSize, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE);
        requireRange("max message size", maxMessageSize, 1, MAX_MESSAGE_SIZE);
        requireRange("max AMF depth", maxAmfDepth, 1, MAX_AMF_DEPTH);
        requireRange("max chunk streams", maxChunkStreams, 1, MAX_CHUNK_STREAMS);
        requireRange("out chunk size", outChunkSize, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE);
        requireRange("window ack size", windowAckSize, 1, Integer.MAX_VALUE);
    }

    /** 16 MiB chunks, 8 MiB messages, AMF depth 16, 64 chunk streams, 4096-byte output chunks, 2.5 MB window. */
    public static RtmpLimits defaults() {
        return new RtmpLimits(MAX_CHUNK_SIZE, 8 * 1024 * 1024, 16, 64, 4096, 2_500_000);
    }

    private static void requireRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " out of range " + min + ".." + max);
        }
    }
}
