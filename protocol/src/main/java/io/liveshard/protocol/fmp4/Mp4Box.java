package io.liveshard.protocol.fmp4;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One box read by {@link Mp4BoxReader}: a view into the array it was read from (no copy).
 *
 * @param type       the four-character box type, e.g. {@code moof}
 * @param data       the array holding the box
 * @param offset     where the box (its size field) starts in {@code data}
 * @param size       the whole box in bytes, header included
 * @param headerSize 8 for a compact header, 16 with a 64-bit largesize (ISO/IEC 14496-12, 4.2)
 */
public record Mp4Box(String type, byte[] data, int offset, int size, int headerSize) {

    /** Where the box content starts: after the header, before any full box version and flags. */
    public int payloadOffset() {
        return offset + headerSize;
    }

    public int payloadLength() {
        return size - headerSize;
    }

    /** The first byte after the box. */
    public int end() {
        return offset + size;
    }

    /** A copy of the content after the header. */
    public byte[] payload() {
        return Arrays.copyOfRange(data, payloadOffset(), end());
    }

    /** The version byte of a full box (4.2, FullBox). */
    public int version() {
        return data[payloadOffset()] & 0xFF;
    }

    /** The 24-bit flags of a full box (4.2, FullBox). */
    public int flags() {
        int at = payloadOffset();
        return ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
    }

    /** The boxes this container box holds. */
    public List<Mp4Box> children() throws Fmp4Exception {
        return children(0);
    }

    /**
     * The boxes after {@code skip} bytes of fields: a full container box such as {@code stsd} or {@code dref} has
     * version, flags and an entry count first, a sample entry its fixed fields (ISO/IEC 14496-12, 12.1.3, 12.2.3).
     */
    public List<Mp4Box> children(int skip) throws Fmp4Exception {
        if (skip < 0 || skip > payloadLength()) {
            throw new Fmp4Exception("'" + type + "' of " + size + " bytes has no children after " + skip + " bytes");
        }
        try {
            return Mp4BoxReader.read(data, payloadOffset() + skip, payloadLength() - skip);
        } catch (Fmp4Exception e) {
            throw new Fmp4Exception("inside '" + type + "': " + e.getMessage());
        }
    }

    /** The only child of this type. */
    public Mp4Box child(String childType) throws Fmp4Exception {
        return only(children(), childType, type);
    }

    /** The children of one type, in order. */
    public List<Mp4Box> children(String childType) throws Fmp4Exception {
        return ofType(children(), childType);
    }

    /** The boxes of one type in a list, in order. */
    public static List<Mp4Box> ofType(List<Mp4Box> boxes, String type) {
        List<Mp4Box> matching = new ArrayList<>();
        for (Mp4Box box : boxes) {
            if (box.type.equals(type)) {
                matching.add(box);
            }
        }
        return matching;
    }

    /** The only box of one type in a list; {@code where} names the list in the message. */
    public static Mp4Box only(List<Mp4Box> boxes, String type, String where) throws Fmp4Exception {
        List<Mp4Box> matching = ofType(boxes, type);
        if (matching.size() != 1) {
            throw new Fmp4Exception("expected one '" + type + "' in " + where + ", found " + matching.size());
        }
        return matching.get(0);
    }

    @Override
    public String toString() {
        return "Mp4Box['" + type + "' at " + offset + ", " + size + " bytes]";
    }
}
