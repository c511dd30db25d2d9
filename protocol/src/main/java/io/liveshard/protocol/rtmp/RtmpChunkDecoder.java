package io.liveshard.protocol.rtmp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reassembles RTMP messages from the chunk stream a peer sends after the handshake (Adobe RTMP specification 1.0,
 * section 5.3, https://rtmp.veriskope.com/docs/spec/).
 *
 * <p>Handles the 1-, 2- and 3-byte basic headers, the four message header types (fmt 0 to 3), extended timestamps
 * (also on type 3 chunks, section 5.3.1.3), timestamp deltas per chunk stream and interleaved chunk streams. It
 * applies Set Chunk Size and Abort itself (section 5.4) and still returns them, so the caller sees everything.
 *
 * <p>Call {@link #decode} until it returns {@link Result#NEED_MORE_BYTES}: each {@link Result#MESSAGE} makes one
 * complete message available from {@link #message()}. Bytes are consumed only once a whole header part is there, so
 * input may be split anywhere. Bad input moves the decoder to its terminal bad state with a {@link #failureReason()}
 * and no exception.
 */
public final class RtmpChunkDecoder {

    /** What one call to {@link #decode} produced. */
    public enum Result {
        /** A complete message is available from {@link #message()}. */
        MESSAGE,
        /** Every complete chunk was consumed; call again with more bytes. */
        NEED_MORE_BYTES,
        /** The input is not valid RTMP; see {@link #failureReason()}. Terminal. */
        BAD_MESSAGE
    }

    private enum State { BASIC_HEADER, MESSAGE_HEADER, EXTENDED_TIMESTAMP, PAYLOAD, BAD_MESSAGE }

    /** Timestamp field value meaning "the real value follows as a 32-bit extended timestamp" (section 5.3.1.3). */
    static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;

    /** Message header length by header type fmt 0..3 (section 5.3.1.2). */
    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};

    /**
     * How much buffer a message gets before its bytes arrive; it grows as they do. A declared length is only a
     * promise, and a peer could declare the maximum on every chunk stream without sending anything.
     */
    private static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024;

    private final RtmpLimits limits;
    private final Map<Integer, ChunkStream> chunkStreams = new HashMap<>();
    private State state = State.BASIC_HEADER;
    private int chunkSize = RtmpLimits.DEFAULT_CHUNK_SIZE;
    private long bytesReceived;
    private RtmpMessage message;
    private String failureReason;

    // The chunk being read.
    private int fmt;
    private ChunkStream current;
    private long timestampField;
    private int chunkBytesLeft;
    /** Bytes of messages begun and not finished, over all chunk streams. */
    private long partialBytes;

    public RtmpChunkDecoder(RtmpLimits limits) {
        this.limits = limits;
    }

    /** Consumes as many bytes as make up complete header parts and payload, up to the end of the next message. */
    public Result decode(ByteBuffer in) {
        message = null;
        while (true) {
            boolean progressed = switch (state) {
                case BASIC_HEADER -> readBasicHeader(in);
                case MESSAGE_HEADER -> readMessageHeader(in);
                case EXTENDED_TIMESTAMP -> readExtendedTimestamp(in);
                case PAYLOAD -> readPayload(in);
                case BAD_MESSAGE -> false;
            };
            if (state == State.BAD_MESSAGE) {
                return Result.BAD_MESSAGE;
            }
            if (message != null) {
                return Result.MESSAGE;
            }
            if (!progressed) {
                return Result.NEED_MORE_BYTES;
            }
        }
    }

    /**
     * The message completed by the last call that returned {@link Result#MESSAGE}. Valid until the next call to
     * {@link #decode}.
     */
    public RtmpMessage message() {
        return message;
    }

    public String failureReason() {
        return failureReason;
    }

    /** Bytes consumed so far, for acknowledgements (section 5.4.3). */
    public long bytesReceived() {
        return bytesReceived;
    }

    private boolean readBasicHeader(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return false;
        }
        int first = in.get(in.position()) & 0xFF;
        int lowBits = first & 0x3F;
        int length = lowBits == 0 ? 2 : lowBits == 1 ? 3 : 1;
        if (in.remaining() < length) {
            return false;
        }
        in.get();
        int csid = switch (length) {
            case 2 -> 64 + (in.get() & 0xFF);
            case 3 -> 64 + (in.get() & 0xFF) + ((in.get() & 0xFF) << 8);
            default -> lowBits;
        };
        bytesReceived += length;
        fmt = first >>> 6;
        current = chunkStreams.get(csid);
        if (current == null) {
            if (fmt != 0) {
                return fail("chunk stream " + csid + " starts with a type " + fmt + " header instead of type 0");
            }
            if (chunkStreams.size() >= limits.maxChunkStreams()) {
                return fail("more than " + limits.maxChunkStreams() + " chunk streams");
            }
            current = new ChunkStream(csid);
            chunkStreams.put(csid, current);
        }
        if (fmt != 3 && current.payload != null) {
            return fail("type " + fmt + " header on chunk stream " + csid + " in the middle of a message");
        }
        state = State.MESSAGE_HEADER;
        return true;
    }

    private boolean readMessageHeader(ByteBuffer in) {
        int length = MESSAGE_HEADER_LENGTH[fmt];
        if (in.remaining() < length) {
            return false;
        }
        bytesReceived += length;
        if (fmt == 3) {
            if (current.extendedTimestamp) {
                state = State.EXTENDED_TIMESTAMP;
                return true;
            }
            return startChunk(current.timestampField);
        }
        timestampField = readU24(in);
        if (fmt <= 1) {
            int messageLength = readU24(in);
            if (messageLength > limits.maxMessageSize()) {
                return fail("message length " + messageLength + " on chunk stream " + current.csid
                        + " over limit " + limits.maxMessageSize());
            }
            int typeId = in.get() & 0xFF;
            if (messageLength > RtmpLimits.MAX_NON_MEDIA_MESSAGE_SIZE && !carriesMedia(typeId)) {
                // Refused before its bytes arrive: the size limit is for media, not for commands and metadata.
                return fail("type " + typeId + " message of " + messageLength + " bytes on chunk stream "
                        + current.csid + " over limit " + RtmpLimits.MAX_NON_MEDIA_MESSAGE_SIZE);
            }
            current.messageLength = messageLength;
            current.typeId = typeId;
            if (fmt == 0) {
                // The message stream id is the one little-endian field in RTMP (section 5.3.1.2.1).
                current.messageStreamId = Integer.reverseBytes(in.getInt());
            }
        }
        current.extendedTimestamp = timestampField == EXTENDED_TIMESTAMP_MARKER;
        if (current.extendedTimestamp) {
            state = State.EXTENDED_TIMESTAMP;
            return true;
        }
        return startChunk(timestampField);
    }

    private boolean readExtendedTimestamp(ByteBuffer in) {
        if (in.remaining() < 4) {
            return false;
        }
        long value = in.getInt(in.position()) & 0xFFFFFFFFL;
        if (fmt == 3 && current.payload != null && value != current.timestampField) {
            // A continuation chunk must repeat the message's extended timestamp, but some encoders leave it out;
            // then these four bytes are already payload.
            return startChunk(current.timestampField);
        }
        in.position(in.position() + 4);
        bytesReceived += 4;
        return startChunk(value);
    }

    /** Applies the timestamp of a chunk's header and moves on to its payload. */
    private boolean startChunk(long timestampValue) {
        ChunkStream cs = current;
        if (cs.payload == null) {
            if (fmt == 0) {
                cs.timestamp = timestampValue;
            } else {
                // For type 3 this repeats the previous delta; after a type 0 header that is its absolute value,
                // as ffmpeg, librtmp and the servers they were tested against read it.
                cs.timestamp = (cs.timestamp + timestampValue) & 0xFFFFFFFFL;
            }
            cs.timestampField = timestampValue;
            cs.payload = new byte[Math.min(cs.messageLength, INITIAL_PAYLOAD_CAPACITY)];
            cs.received = 0;
        }
        chunkBytesLeft = Math.min(chunkSize, cs.messageLength - cs.received);
        state = State.PAYLOAD;
        return true;
    }

    private boolean readPayload(ByteBuffer in) {
        ChunkStream cs = current;
        int n = Math.min(chunkBytesLeft, in.remaining());
        if (n > 0) {
            partialBytes += n;
            if (partialBytes > maxPartialBytes()) {
                return fail("over " + maxPartialBytes() + " bytes of unfinished messages on "
                        + chunkStreams.size() + " chunk streams");
            }
            cs.ensureCapacity(n);
            in.get(cs.payload, cs.received, n);
            cs.received += n;
            chunkBytesLeft -= n;
            bytesReceived += n;
        }
        if (chunkBytesLeft > 0) {
            return n > 0;
        }
        state = State.BASIC_HEADER;
        if (cs.received == cs.messageLength) {
            RtmpMessage complete = new RtmpMessage(cs.csid, cs.typeId, cs.timestamp, cs.messageStreamId, cs.payload);
            partialBytes -= cs.received;
            cs.payload = null;
            applyProtocolControl(complete);
            if (state != State.BAD_MESSAGE) {
                message = complete;
            }
        }
        return true;
    }

    private void applyProtocolControl(RtmpMessage complete) {
        if (complete.typeId() == RtmpMessageType.SET_CHUNK_SIZE.code()) {
            if (complete.payload().length < 4) {
                fail("set chunk size message of " + complete.payload().length + " bytes instead of 4");
                return;
            }
            int size = ByteBuffer.wrap(complete.payload()).getInt();
            if (size < RtmpLimits.MIN_CHUNK_SIZE || size > limits.maxChunkSize()) {
                fail("chunk size " + size + " out of range " + RtmpLimits.MIN_CHUNK_SIZE + ".." + limits.maxChunkSize());
                return;
            }
            chunkSize = size;
        } else if (complete.typeId() == RtmpMessageType.ABORT.code()) {
            if (complete.payload().length < 4) {
                fail("abort message of " + complete.payload().length + " bytes instead of 4");
                return;
            }
            ChunkStream aborted = chunkStreams.get(ByteBuffer.wrap(complete.payload()).getInt());
            if (aborted != null && aborted.payload != null) {
                partialBytes -= aborted.received;
                aborted.payload = null;
            }
        }
    }

    /**
     * What a connection may hold of messages it has begun: one message of the largest size and as much again for
     * the streams interleaved with it (audio beside a keyframe), not a largest message per chunk stream.
     */
    private long maxPartialBytes() {
        return 2L * limits.maxMessageSize();
    }

    /** Audio, video and aggregates of them may be as long as the limit allows; other messages are small. */
    private static boolean carriesMedia(int typeId) {
        return typeId == RtmpMessageType.AUDIO.code() || typeId == RtmpMessageType.VIDEO.code()
                || typeId == RtmpMessageType.AGGREGATE.code();
    }

    private boolean fail(String reason) {
        failureReason = reason;
        state = State.BAD_MESSAGE;
        return false;
    }

    private static int readU24(ByteBuffer in) {
        return ((in.get() & 0xFF) << 16) | ((in.get() & 0xFF) << 8) | (in.get() & 0xFF);
    }

    /** Header state a chunk stream remembers between chunks (section 5.3.1.2), plus its partly received message. */
    private static final class ChunkStream {
        final int csid;
        long timestamp;
        /** The last timestamp or delta value from a header, which a type 3 header repeats. */
        long timestampField;
        boolean extendedTimestamp;
        int messageLength;
        int typeId;
        int messageStreamId;
        /** The message being received, or null between messages. */
        byte[] payload;
        int received;

        ChunkStream(int csid) {
            this.csid = csid;
        }

        void ensureCapacity(int more) {
            if (payload.length - received < more) {
                // Doubling, capped at the declared length so the finished array needs no trimming copy.
                int capacity = (int) Math.min(messageLength, Math.max(2L * payload.length, (long) received + more));
                payload = Arrays.copyOf(payload, capacity);
            }
        }
    }
}
