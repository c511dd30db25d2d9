package io.liveshard.protocol.flv;

import io.liveshard.protocol.media.MediaFrame;

/**
 * Writes the FLV file header, tag headers and PreviousTagSize fields into caller-provided arrays, so an HTTP-FLV
 * writer can frame a shared {@link MediaFrame#body()} without copying it: header, body, PreviousTagSize.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1, E.2 and E.3</a>
 */
public final class FlvWriter {

    /** The 9-byte FLV header (E.2) followed by PreviousTagSize0, which is always 0 (E.3). */
    public static final int FILE_HEADER_SIZE = 13;

    /** The FLV header alone: its DataOffset field (E.2). */
    public static final int HEADER_SIZE = 9;

    /** TagType, DataSize, Timestamp, TimestampExtended and StreamID (E.4.1). */
    public static final int TAG_HEADER_SIZE = 11;

    /** The PreviousTagSize field that follows every tag (E.3). */
    public static final int PREVIOUS_TAG_SIZE_SIZE = 4;

    /** The largest DataSize a tag header can express: the field is 24 bits (E.4.1). */
    public static final int MAX_DATA_SIZE = 0xFF_FFFF;

    /** The only FLV version there is (E.2). */
    static final int VERSION = 1;

    /** TypeFlagsAudio and TypeFlagsVideo in the header's flags byte (E.2). */
    static final int FLAG_AUDIO = 0x04;
    static final int FLAG_VIDEO = 0x01;

    private FlvWriter() {
    }

    /** The FLV header announcing the given tracks, followed by PreviousTagSize0. */
    public static byte[] fileHeader(boolean hasAudio, boolean hasVideo) {
        byte[] header = new byte[FILE_HEADER_SIZE];
        header[0] = 'F';
        header[1] = 'L';
        header[2] = 'V';
        header[3] = VERSION;
        header[4] = (byte) ((hasAudio ? FLAG_AUDIO : 0) | (hasVideo ? FLAG_VIDEO : 0));
        writeInt(header, 5, HEADER_SIZE);
        return header;
    }

    /**
     * Writes an 11-byte tag header. The timestamp is written modulo 2^32 (24 low bits, then the high byte as
     * TimestampExtended), as FLV players expect across the 2^32 ms wrap; StreamID is 0.
     *
     * @throws IllegalArgumentException when {@code dataSize} does not fit the 24-bit DataSize field
     */
    public static void writeTagHeader(byte[] dst, int offset, FlvTagType type, int dataSize, long timestamp) {
        if (dataSize < 0 || dataSize > MAX_DATA_SIZE) {
            throw new IllegalArgumentException("FLV tag data size " + dataSize + " outside 0.." + MAX_DATA_SIZE);
        }
        dst[offset] = (byte) type.code();
        dst[offset + 1] = (byte) (dataSize >> 16);
        dst[offset + 2] = (byte) (dataSize >> 8);
        dst[offset + 3] = (byte) dataSize;
        dst[offset + 4] = (byte) (timestamp >> 16);
        dst[offset + 5] = (byte) (timestamp >> 8);
        dst[offset + 6] = (byte) timestamp;
        dst[offset + 7] = (byte) (timestamp >> 24);
        dst[offset + 8] = 0;
        dst[offset + 9] = 0;
        dst[offset + 10] = 0;
    }

    /** Writes PreviousTagSize: the size of the tag just written, header included ({@code 11 + dataSize}). */
    public static void writePreviousTagSize(byte[] dst, int offset, int tagSize) {
        writeInt(dst, offset, tagSize);
    }

    /** The tag type that carries this frame. */
    public static FlvTagType tagTypeOf(MediaFrame frame) {
        return switch (frame.kind()) {
            case VIDEO -> FlvTagType.VIDEO;
            case AUDIO -> FlvTagType.AUDIO;
            case DATA -> FlvTagType.SCRIPT;
        };
    }

    private static void writeInt(byte[] dst, int offset, int value) {
        dst[offset] = (byte) (value >>> 24);
        dst[offset + 1] = (byte) (value >>> 16);
        dst[offset + 2] = (byte) (value >>> 8);
        dst[offset + 3] = (byte) value;
    }
}
