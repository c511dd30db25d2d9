package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * How frames cross from the node that owns a stream to an edge relay on another node: a batch of frames as one
 * {@link ByteString} (which Pekko serializes as bytes), each frame as
 * {@code codec(1) flags(1) dts(8) cts(4) ingestMicros(8) payloadOffset(4) bodyLength(4) body}.
 *
 * <p>A frame's ingest time is node-local ({@link System#nanoTime()}); it crosses as wall-clock microseconds and is
 * turned back into the receiving node's clock, so server-added latency on the edge still counts from the moment the
 * origin received the frame (as exact as the two nodes' clocks agree).
 */
public final class RelayFrameCodec {

    private static final int HEADER_BYTES = 1 + 1 + 8 + 4 + 8 + 4 + 4;
    private static final int CONFIG = 1;
    private static final int KEYFRAME = 2;
    private static final MediaCodec[] CODECS = MediaCodec.values();
    /** A frame body larger than this is refused on decode: no publisher sends such access units. */
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /**
     * Sent after the last batch when the stream really ended at its owner (not when the copy merely stops because
     * the owner moved or went away): one byte that cannot start a frame.
     */
    public static final ByteString END_OF_STREAM = ByteString.fromArray(new byte[] {(byte) 0xFF});

    private RelayFrameCodec() {
    }

    /** Microseconds since the epoch: {@link Instant#now()} is finer than {@link System#currentTimeMillis()}. */
    private static long wallClockMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    public static boolean isEndOfStream(ByteString batch) {
        return batch.equals(END_OF_STREAM);
    }

    public static ByteString encode(List<MediaFrame> frames) {
        long nowNanos = System.nanoTime();
        long nowMicros = wallClockMicros();
        ByteStringBuilder out = new ByteStringBuilder();
        ByteOrder order = ByteOrder.BIG_ENDIAN;
        for (MediaFrame frame : frames) {
            long ingestMicros = frame.ingestNanos() == 0 ? 0 : nowMicros - (nowNanos - frame.ingestNanos()) / 1000;
            out.putByte((byte) frame.codec().ordinal());
            out.putByte((byte) ((frame.config() ? CONFIG : 0) | (frame.keyframe() ? KEYFRAME : 0)));
            out.putLong(frame.dts(), order);
            out.putInt(frame.cts(), order);
            out.putLong(ingestMicros, order);
            out.putInt(frame.payloadOffset(), order);
            out.putInt(frame.body().length, order);
            out.putBytes(frame.body());
        }
        return out.result();
    }

    /** The frames of one batch; a malformed batch is refused whole. */
    public static List<MediaFrame> decode(ByteString bytes) {
        long nowNanos = System.nanoTime();
        long nowMicros = wallClockMicros();
        ByteBuffer in = bytes.asByteBuffer().order(ByteOrder.BIG_ENDIAN);
        List<MediaFrame> frames = new ArrayList<>();
        while (in.hasRemaining()) {
            if (in.remaining() < HEADER_BYTES) {
                throw new IllegalArgumentException("relay batch ends inside a frame header");
            }
            int codecIndex = in.get() & 0xFF;
            int flags = in.get();
            long dts = in.getLong();
            int cts = in.getInt();
            long ingestMicros = in.getLong();
            int payloadOffset = in.getInt();
            int length = in.getInt();
            if (codecIndex >= CODECS.length || length < 0 || length > MAX_BODY_BYTES || length > in.remaining()) {
                throw new IllegalArgumentException("relay frame with codec " + codecIndex + " and " + length
                        + " bytes in a batch with " + in.remaining() + " left");
            }
            byte[] body = new byte[length];
            in.get(body);
            MediaCodec codec = CODECS[codecIndex];
            long ingestNanos = ingestMicros == 0 ? 0 : nowNanos - (nowMicros - ingestMicros) * 1000;
            frames.add(new MediaFrame(codec.kind(), codec, (flags & CONFIG) != 0, (flags & KEYFRAME) != 0, dts, cts,
                    body, payloadOffset, ingestNanos));
        }
        return frames;
    }
}
