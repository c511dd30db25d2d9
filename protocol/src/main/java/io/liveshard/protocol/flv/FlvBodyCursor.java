package io.liveshard.protocol.flv;

/**
 * Reads the big-endian header fields at the start of an audio or video tag body. Every read checks the length first,
 * so a truncated header becomes an {@link FlvFormatException} naming the field, never an index exception.
 */
final class FlvBodyCursor {

    private final byte[] body;
    private final String what;
    private int position;

    /** {@code what} names the tag in messages, e.g. "video tag". */
    FlvBodyCursor(byte[] body, String what) {
        this.body = body;
        this.what = what;
    }

    int position() {
        return position;
    }

    int u8(String field) throws FlvFormatException {
        require(1, field);
        return body[position++] & 0xFF;
    }

    int u16(String field) throws FlvFormatException {
        require(2, field);
        int value = ((body[position] & 0xFF) << 8) | (body[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    /** A signed 24-bit value (SI24), as used by CompositionTime. */
    int s24(String field) throws FlvFormatException {
        require(3, field);
        int value = ((body[position] & 0xFF) << 16) | ((body[position + 1] & 0xFF) << 8) | (body[position + 2] & 0xFF);
        position += 3;
        return (value << 8) >> 8;
    }

    int u32(String field) throws FlvFormatException {
        require(4, field);
        int value = ((body[position] & 0xFF) << 24) | ((body[position + 1] & 0xFF) << 16)
                | ((body[position + 2] & 0xFF) << 8) | (body[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    void skip(int count, String field) throws FlvFormatException {
        require(count, field);
        position += count;
    }

    /**
     * Skips one Enhanced RTMP v2 ModEx block and returns the packet type that follows it. The only modifier defined,
     * TimestampOffsetNano, refines the timestamp below a millisecond, finer than {@code MediaFrame} keeps; the tag
     * body is forwarded untouched, so FLV and RTMP players still see it.
     */
    int skipModEx() throws FlvFormatException {
        int size = u8("ModEx data size") + 1;
        if (size == 256) {
            size = u16("ModEx extended data size") + 1;
        }
        skip(size, "ModEx data");
        return u8("ModEx type and packet type") & 0x0F;
    }

    private void require(int count, String field) throws FlvFormatException {
        if (body.length - position < count) {
            throw new FlvFormatException("truncated " + what + ": " + field + " needs " + count + " byte(s) at offset "
                    + position + " but the body has " + body.length);
        }
    }
}
