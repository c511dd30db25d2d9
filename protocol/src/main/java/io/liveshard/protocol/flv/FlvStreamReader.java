package io.liveshard.protocol.flv;

import java.nio.ByteBuffer;

/**
 * Reads an FLV byte stream (a file or an HTTP-FLV response) tag by tag, from bytes that arrive in pieces of any size:
 * the FLV header (signature, version, flags, DataOffset), then PreviousTagSize and tag after tag. Every
 * PreviousTagSize must match the tag before it, which catches a stream that lost or gained bytes.
 *
 * <p>An explicit state machine: {@link #feed} consumes what it can and answers {@link Result#TAG} (one whole tag in
 * {@link #tag()}), {@link Result#NEED_MORE_BYTES} (all input consumed), or {@link Result#BAD_MESSAGE}, a terminal
 * state with a {@link #failureReason()}. Bad input never raises an exception.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">Adobe FLV spec v10.1, Annex E</a>
 */
public final class FlvStreamReader {

    /** The default and largest DataSize accepted: the field is 24 bits (E.4.1), so about 16 MiB. */
    public static final int MAX_TAG_DATA_SIZE = FlvWriter.MAX_DATA_SIZE;

    /**
     * The largest DataOffset accepted. E.2 defines the header as 9 bytes and reserves larger offsets for future
     * versions, which never came; 4 KiB leaves room for that without letting a hostile header make us skip forever.
     */
    public static final int MAX_DATA_OFFSET = 4096;

    /** What one call to {@link #feed} produced. */
    public enum Result {
        /** A whole tag was read: {@link #tag()} returns it. Call {@link #feed} again for the next one. */
        TAG,
        /** All input was consumed without completing a tag. */
        NEED_MORE_BYTES,
        /** The stream is not valid FLV; see {@link #failureReason()}. Terminal. */
        BAD_MESSAGE
    }

    private enum State {
        FILE_HEADER,
        HEADER_PADDING,
        PREVIOUS_TAG_SIZE,
        TAG_HEADER,
        TAG_BODY,
        BAD_MESSAGE
    }

    /** TagType's Filter bit: the tag is encrypted (E.4.1), which a live server cannot pass on meaningfully. */
    private static final int FILTER_BIT = 0x20;
    private static final int TAG_TYPE_MASK = 0x1F;

    private final int maxTagDataSize;
    private final byte[] field = new byte[FlvWriter.TAG_HEADER_SIZE];
    private int fieldFill;

    private State state = State.FILE_HEADER;
    private int paddingLeft;
    private int expectedPreviousTagSize;
    private boolean headerRead;
    private boolean hasAudio;
    private boolean hasVideo;

    private FlvTagType pendingType;
    private long pendingTimestamp;
    private byte[] pendingBody;
    private int pendingFill;

    private FlvTag tag;
    private String failureReason;

    /** A reader accepting tags up to {@link #MAX_TAG_DATA_SIZE}. */
    public FlvStreamReader() {
        this(MAX_TAG_DATA_SIZE);
    }

    /** A reader refusing tags whose DataSize exceeds {@code maxTagDataSize}. */
    public FlvStreamReader(int maxTagDataSize) {
        if (maxTagDataSize < 0 || maxTagDataSize > MAX_TAG_DATA_SIZE) {
            throw new IllegalArgumentException("max tag data size " + maxTagDataSize + " outside 0.."
                    + MAX_TAG_DATA_SIZE);
        }
        this.maxTagDataSize = maxTagDataSize;
    }

    /** Consumes bytes from {@code in} until one tag is complete, the input is used up, or the stream is bad. */
    public Result feed(ByteBuffer in) {
        tag = null;
        while (true) {
            Result result = switch (state) {
                case FILE_HEADER -> readFileHeader(in);
                case HEADER_PADDING -> skipHeaderPadding(in);
                case PREVIOUS_TAG_SIZE -> readPreviousTagSize(in);
                case TAG_HEADER -> readTagHeader(in);
                case TAG_BODY -> readTagBody(in);
                case BAD_MESSAGE -> Result.BAD_MESSAGE;
            };
            if (result != null) {
                return result;
            }
        }
    }

    /** The tag completed by the last {@link #feed} that returned {@link Result#TAG}, else null. */
    public FlvTag tag() {
        return tag;
    }

    /** True once the FLV header has been read. */
    public boolean headerRead() {
        return headerRead;
    }

    /** TypeFlagsAudio of the header; false until the header has been read. */
    public boolean hasAudio() {
        return hasAudio;
    }

    /** TypeFlagsVideo of the header; false until the header has been read. */
    public boolean hasVideo() {
        return hasVideo;
    }

    /** True when the bytes fed so far end exactly after a tag's PreviousTagSize: a clean place for a file to end. */
    public boolean atTagBoundary() {
        return state == State.TAG_HEADER && fieldFill == 0;
    }

    /** Why the stream was refused, or null while it is healthy. */
    public String failureReason() {
        return failureReason;
    }

    private Result readFileHeader(ByteBuffer in) {
        if (!fill(in, FlvWriter.HEADER_SIZE)) {
            return Result.NEED_MORE_BYTES;
        }
        if (field[0] != 'F' || field[1] != 'L' || field[2] != 'V') {
            return fail("not an FLV stream: signature is not 'FLV'");
        }
        if (field[3] != FlvWriter.VERSION) {
            return fail("unsupported FLV version " + (field[3] & 0xFF));
        }
        int flags = field[4] & 0xFF;
        long dataOffset = readUnsignedInt(5);
        if (dataOffset < FlvWriter.HEADER_SIZE || dataOffset > MAX_DATA_OFFSET) {
            return fail("FLV header DataOffset " + dataOffset + " outside " + FlvWriter.HEADER_SIZE + ".."
                    + MAX_DATA_OFFSET);
        }
        headerRead = true;
        hasAudio = (flags & FlvWriter.FLAG_AUDIO) != 0;
        hasVideo = (flags & FlvWriter.FLAG_VIDEO) != 0;
        paddingLeft = (int) dataOffset - FlvWriter.HEADER_SIZE;
        fieldFill = 0;
        state = State.HEADER_PADDING;
        return null;
    }

    private Result skipHeaderPadding(ByteBuffer in) {
        int skipped = Math.min(paddingLeft, in.remaining());
        in.position(in.position() + skipped);
        paddingLeft -= skipped;
        if (paddingLeft > 0) {
            return Result.NEED_MORE_BYTES;
        }
        expectedPreviousTagSize = 0;
        state = State.PREVIOUS_TAG_SIZE;
        return null;
    }

    private Result readPreviousTagSize(ByteBuffer in) {
        if (!fill(in, FlvWriter.PREVIOUS_TAG_SIZE_SIZE)) {
            return Result.NEED_MORE_BYTES;
        }
        long previousTagSize = readUnsignedInt(0);
        if (previousTagSize != expectedPreviousTagSize) {
            return fail("PreviousTagSize " + previousTagSize + " does not match the previous tag's size "
                    + expectedPreviousTagSize);
        }
        fieldFill = 0;
        state = State.TAG_HEADER;
        return null;
    }

    private Result readTagHeader(ByteBuffer in) {
        if (!fill(in, FlvWriter.TAG_HEADER_SIZE)) {
            return Result.NEED_MORE_BYTES;
        }
        int typeByte = field[0] & 0xFF;
        if ((typeByte & FILTER_BIT) != 0) {
            return fail("encrypted FLV tags (Filter bit set) are not supported");
        }
        int typeCode = typeByte & TAG_TYPE_MASK;
        FlvTagType type = FlvTagType.find(typeCode).orElse(null);
        if (type == null) {
            return fail("unknown FLV tag type " + typeCode);
        }
        int dataSize = ((field[1] & 0xFF) << 16) | ((field[2] & 0xFF) << 8) | (field[3] & 0xFF);
        if (dataSize > maxTagDataSize) {
            return fail("FLV " + type + " tag of " + dataSize + " bytes exceeds the limit of " + maxTagDataSize);
        }
        pendingType = type;
        pendingTimestamp = ((field[7] & 0xFFL) << 24) | ((field[4] & 0xFF) << 16) | ((field[5] & 0xFF) << 8)
                | (field[6] & 0xFF);
        pendingBody = new byte[dataSize];
        pendingFill = 0;
        fieldFill = 0;
        state = State.TAG_BODY;
        return null;
    }

    private Result readTagBody(ByteBuffer in) {
        int count = Math.min(pendingBody.length - pendingFill, in.remaining());
        in.get(pendingBody, pendingFill, count);
        pendingFill += count;
        if (pendingFill < pendingBody.length) {
            return Result.NEED_MORE_BYTES;
        }
        tag = new FlvTag(pendingType, pendingTimestamp, pendingBody);
        expectedPreviousTagSize = FlvWriter.TAG_HEADER_SIZE + pendingBody.length;
        pendingBody = null;
        state = State.PREVIOUS_TAG_SIZE;
        return Result.TAG;
    }

    /** Collects a fixed-size field that may arrive split across calls; true once it is complete. */
    private boolean fill(ByteBuffer in, int size) {
        int count = Math.min(size - fieldFill, in.remaining());
        in.get(field, fieldFill, count);
        fieldFill += count;
        return fieldFill == size;
    }

    private long readUnsignedInt(int at) {
        return ((field[at] & 0xFFL) << 24) | ((field[at + 1] & 0xFF) << 16) | ((field[at + 2] & 0xFF) << 8)
                | (field[at + 3] & 0xFF);
    }

    private Result fail(String reason) {
        failureReason = reason;
        state = State.BAD_MESSAGE;
        pendingBody = null;
        return Result.BAD_MESSAGE;
    }
}
