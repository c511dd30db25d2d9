package io.liveshard.protocol.rtmp;

import java.util.HashMap;
import java.util.Map;

/**
 * Splits RTMP messages into chunks (Adobe RTMP specification 1.0, section 5.3, https://rtmp.veriskope.com/docs/spec/).
 *
 * <p>The first chunk of a message gets the smallest header that the previous message on the same chunk stream
 * allows: type 0 for the first message, for another message stream or when the timestamp goes backwards; type 1
 * when length or type changed; type 2 otherwise. The remaining chunks get type 3 headers. Timestamps are taken
 * modulo 2^32 and use the extended timestamp field from 0xFFFFFF on, on every chunk of the message (section
 * 5.3.1.3).
 *
 * <p>Payload bytes are never copied: each chunk's slice of the payload goes to the sink as {@code (payload, offset,
 * length)}, so one payload array can feed every viewer. Headers go in small freshly allocated arrays.
 */
public final class RtmpChunkEncoder {

    private final Map<Integer, LastHeader> lastHeaders = new HashMap<>();
    private int chunkSize;

    public RtmpChunkEncoder(int chunkSize) {
        setChunkSize(chunkSize);
    }

    /** Takes effect with the next message; send the Set Chunk Size message first. */
    public void setChunkSize(int chunkSize) {
        if (chunkSize < RtmpLimits.MIN_CHUNK_SIZE || chunkSize > RtmpLimits.MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " out of range "
                    + RtmpLimits.MIN_CHUNK_SIZE + ".." + RtmpLimits.MAX_CHUNK_SIZE);
        }
        this.chunkSize = chunkSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Writes one message as chunks to the sink.
     *
     * @param csid chunk stream id, 2..65599
     */
    public void encode(int csid, int typeId, long timestamp, int messageStreamId, byte[] payload, RtmpChunkSink sink) {
        if (csid < 2 || csid > 65599) {
            throw new IllegalArgumentException("chunk stream id " + csid + " out of range 2..65599");
        }
        if (payload.length > RtmpLimits.MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("message of " + payload.length + " bytes exceeds the 24-bit length field");
        }
        long wireTimestamp = timestamp & 0xFFFFFFFFL;
        LastHeader last = lastHeaders.get(csid);
        int fmt;
        long timestampField;
        if (last == null || last.messageStreamId != messageStreamId || wireTimestamp < last.timestamp) {
            fmt = 0;
            timestampField = wireTimestamp;
        } else {
            timestampField = wireTimestamp - last.timestamp;
            fmt = last.length == payload.length && last.typeId == typeId ? 2 : 1;
        }
        lastHeaders.put(csid, new LastHeader(wireTimestamp, payload.length, typeId, messageStreamId));

        boolean extended = timestampField >= RtmpChunkDecoder.EXTENDED_TIMESTAMP_MARKER;
        sink.write(firstHeader(fmt, csid, timestampField, extended, payload.length, typeId, messageStreamId), 0,
                headerLength(csid, fmt, extended));
        int offset = 0;
        do {
            int length = Math.min(chunkSize, payload.length - offset);
            if (offset > 0) {
                byte[] header = continuationHeader(csid, timestampField, extended);
                sink.write(header, 0, header.length);
            }
            if (length > 0) {
                sink.write(payload, offset, length);
            }
            offset += length;
        } while (offset < payload.length);
    }

    private static byte[] firstHeader(int fmt, int csid, long timestampField, boolean extended, int length,
            int typeId, int messageStreamId) {
        byte[] header = new byte[headerLength(csid, fmt, extended)];
        int p = writeBasicHeader(header, fmt, csid);
        if (fmt <= 2) {
            p = writeU24(header, p, extended ? RtmpChunkDecoder.EXTENDED_TIMESTAMP_MARKER : (int) timestampField);
        }
        if (fmt <= 1) {
            p = writeU24(header, p, length);
            header[p++] = (byte) typeId;
        }
        if (fmt == 0) {
            // Little-endian, unlike every other RTMP field (section 5.3.1.2.1).
            header[p++] = (byte) messageStreamId;
            header[p++] = (byte) (messageStreamId >>> 8);
            header[p++] = (byte) (messageStreamId >>> 16);
            header[p++] = (byte) (messageStreamId >>> 24);
        }
        if (extended) {
            writeU32(header, p, timestampField);
        }
        return header;
    }

    private static byte[] continuationHeader(int csid, long timestampField, boolean extended) {
        byte[] header = new byte[basicHeaderLength(csid) + (extended ? 4 : 0)];
        int p = writeBasicHeader(header, 3, csid);
        if (extended) {
            writeU32(header, p, timestampField);
        }
        return header;
    }

    private static int headerLength(int csid, int fmt, boolean extended) {
        int messageHeader = switch (fmt) {
            case 0 -> 11;
            case 1 -> 7;
            case 2 -> 3;
            default -> 0;
        };
        return basicHeaderLength(csid) + messageHeader + (extended ? 4 : 0);
    }

    private static int basicHeaderLength(int csid) {
        return csid < 64 ? 1 : csid < 320 ? 2 : 3;
    }

    /** Section 5.3.1.1: ids 2..63 fit in the first byte, 64..319 take one more byte, 64..65599 two more. */
    private static int writeBasicHeader(byte[] header, int fmt, int csid) {
        if (csid < 64) {
            header[0] = (byte) ((fmt << 6) | csid);
            return 1;
        }
        if (csid < 320) {
            header[0] = (byte) (fmt << 6);
            header[1] = (byte) (csid - 64);
            return 2;
        }
        header[0] = (byte) ((fmt << 6) | 1);
        header[1] = (byte) (csid - 64);
        header[2] = (byte) ((csid - 64) >>> 8);
        return 3;
    }

    private static int writeU24(byte[] header, int p, int value) {
        header[p] = (byte) (value >>> 16);
        header[p + 1] = (byte) (value >>> 8);
        header[p + 2] = (byte) value;
        return p + 3;
    }

    private static void writeU32(byte[] header, int p, long value) {
        header[p] = (byte) (value >>> 24);
        header[p + 1] = (byte) (value >>> 16);
        header[p + 2] = (byte) (value >>> 8);
        header[p + 3] = (byte) value;
    }

    private record LastHeader(long timestamp, int length, int typeId, int messageStreamId) {
    }
}
