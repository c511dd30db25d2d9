package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaFrame;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * How frames cross from the node that owns a stream to an edge relay on another node: a byte stream of frames, each
 * {@code codec(1) flags(1) dts(8) cts(4) ingestMicros(8) payloadOffset(4) bodyLength(4) body}, sent as
 * {@link ByteString}s (which Pekko serializes as bytes) of at most {@value #MAX_MESSAGE_BYTES} bytes, and read back
 * by a {@link RelayFrameDecoder}.
 *
 * <p>A frame's ingest time is node-local ({@link System#nanoTime()}); it crosses as wall-clock microseconds and is
 * turned back into the receiving node's clock, so server-added latency on the edge still counts from the moment the
 * origin received the frame (as exact as the two nodes' clocks agree).
 */
public final class RelayFrameCodec {

    static final int HEADER_BYTES = 1 + 1 + 8 + 4 + 8 + 4 + 4;
    static final int CONFIG = 1;
    static final int KEYFRAME = 2;
    /** The first byte of {@link #END_OF_STREAM}, where a frame would start with its codec. */
    static final int END_MARK = 0xFF;
    /** The largest message of a copy: half of Artery's default frame size, leaving room for its envelope. */
    static final int MAX_MESSAGE_BYTES = 128 * 1024;

    /**
     * Sent after the last batch when the stream really ended at its owner (not when the copy merely stops because
     * the owner moved or went away): one byte that cannot start a frame.
     */
    public static final ByteString END_OF_STREAM = ByteString.fromArray(new byte[] {(byte) END_MARK});

    private RelayFrameCodec() {
    }

    /** Microseconds since the epoch: {@link Instant#now()} is finer than {@link System#currentTimeMillis()}. */
    static long wallClockMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
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

    /**
     * A batch cut into messages Pekko's remoting carries ({@value #MAX_MESSAGE_BYTES} bytes at most: Artery refuses a
     * message over its frame size, 256 KiB by default, and the stream reference then fails). The copy is one byte
     * stream to its {@link RelayFrameDecoder}, so a cut may fall anywhere, inside a frame too: a keyframe of a few
     * hundred kilobytes, or a new viewer's whole GOP cache, crosses in several messages.
     */
    public static List<ByteString> chunks(ByteString batch) {
        if (batch.size() <= MAX_MESSAGE_BYTES) {
            return List.of(batch);
        }
        List<ByteString> chunks = new ArrayList<>(batch.size() / MAX_MESSAGE_BYTES + 1);
        for (int from = 0; from < batch.size(); from += MAX_MESSAGE_BYTES) {
            chunks.add(batch.slice(from, Math.min(batch.size(), from + MAX_MESSAGE_BYTES)));
        }
        return chunks;
    }
}
