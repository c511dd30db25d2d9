package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * Reads one relay copy's byte stream ({@link RelayFrameCodec}) back into frames, whatever the messages it came in:
 * a frame may start in one message and end several later. One decoder per copy; a copy that restarts starts a new
 * one. Anything malformed (an unknown codec, a body over {@value #MAX_BODY_BYTES} bytes, bytes after the end of the
 * stream) is refused with {@link IllegalArgumentException}, which ends the copy.
 */
public final class RelayFrameDecoder {

    /** A frame body larger than this is refused: no publisher sends such access units. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final MediaCodec[] CODECS = MediaCodec.values();

    private enum State {
        /** Waiting for a frame's header, or for the end-of-stream mark where a header would start. */
        HEADER,
        /** Header read; waiting for {@link #bodyLength} bytes of body. */
        BODY,
        /** The owner said the stream ended; terminal. */
        ENDED
    }

    private State state = State.HEADER;
    /** Bytes received and not decoded yet: at most a header, or one frame's body. */
    private ByteString buffered = ByteString.emptyByteString();
    private MediaCodec codec;
    private int flags;
    private long dts;
    private int cts;
    private long ingestMicros;
    private int payloadOffset;
    private int bodyLength;

    /** The frames completed by {@code message}, in order. */
    public List<MediaFrame> accept(ByteString message) {
        if (state == State.ENDED) {
            throw new IllegalArgumentException("relay: " + message.size() + " bytes after the end of the stream");
        }
        buffered = buffered.concat(message);
        List<MediaFrame> frames = new ArrayList<>();
        while (true) {
            if (state == State.HEADER) {
                if (buffered.isEmpty()) {
                    break;
                }
                if ((buffered.apply(0) & 0xFF) == RelayFrameCodec.END_MARK) {
                    if (buffered.size() > 1) {
                        throw new IllegalArgumentException("relay: bytes after the end of the stream");
                    }
                    buffered = ByteString.emptyByteString();
                    state = State.ENDED;
                    break;
                }
                if (buffered.size() < RelayFrameCodec.HEADER_BYTES) {
                    break;
                }
                readHeader(buffered.take(RelayFrameCodec.HEADER_BYTES).asByteBuffer().order(ByteOrder.BIG_ENDIAN));
                buffered = buffered.drop(RelayFrameCodec.HEADER_BYTES);
                state = State.BODY;
            }
            if (buffered.size() < bodyLength) {
                break;
            }
            frames.add(frame(buffered.take(bodyLength).toArray()));
            buffered = buffered.drop(bodyLength);
            state = State.HEADER;
        }
        return frames;
    }

    /** Whether the owner said the stream ended (not merely that the copy stopped). */
    public boolean ended() {
        return state == State.ENDED;
    }

    private void readHeader(ByteBuffer header) {
        int codecIndex = header.get() & 0xFF;
        flags = header.get();
        dts = header.getLong();
        cts = header.getInt();
        ingestMicros = header.getLong();
        payloadOffset = header.getInt();
        bodyLength = header.getInt();
        if (codecIndex >= CODECS.length || bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("relay frame with codec " + codecIndex + " and " + bodyLength
                    + " bytes");
        }
        codec = CODECS[codecIndex];
    }

    /**
     * The ingest time crossed as wall-clock microseconds and is turned back into this node's clock, so that
     * server-added latency on the edge still counts from the moment the origin received the frame.
     */
    private MediaFrame frame(byte[] body) {
        long ingestNanos = ingestMicros == 0 ? 0
                : System.nanoTime() - (RelayFrameCodec.wallClockMicros() - ingestMicros) * 1000;
        return new MediaFrame(codec.kind(), codec, (flags & RelayFrameCodec.CONFIG) != 0,
                (flags & RelayFrameCodec.KEYFRAME) != 0, dts, cts, body, payloadOffset, ingestNanos);
    }
}
