package io.liveshard.protocol.flv;

import static io.liveshard.protocol.flv.FlvTestBytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.flv.FlvStreamReader.Result;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlvStreamReaderTest {

    private static final List<FlvTag> TAGS = List.of(
            new FlvTag(FlvTagType.SCRIPT, 0, hex("02000a6f6e4d65746144617461 0800000000000009")),
            new FlvTag(FlvTagType.VIDEO, 0, hex("17 00 000000 01640028ffe1000467640028 01000468ebe3cb")),
            new FlvTag(FlvTagType.AUDIO, 0, hex("af 00 1210")),
            new FlvTag(FlvTagType.VIDEO, 33, hex("17 01 000042 00000002 0910")),
            new FlvTag(FlvTagType.AUDIO, 0xFFFF_FFFFL, hex("af 01")),
            new FlvTag(FlvTagType.VIDEO, 0x0100_0000L, new byte[0]));

    /** An FLV stream as {@link FlvWriter} frames it: header, then tag header, body and PreviousTagSize per tag. */
    static byte[] flv(boolean audio, boolean video, List<FlvTag> tags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(FlvWriter.fileHeader(audio, video));
        for (FlvTag tag : tags) {
            byte[] header = new byte[FlvWriter.TAG_HEADER_SIZE];
            FlvWriter.writeTagHeader(header, 0, tag.type(), tag.body().length, tag.timestamp());
            out.writeBytes(header);
            out.writeBytes(tag.body());
            byte[] previousTagSize = new byte[FlvWriter.PREVIOUS_TAG_SIZE_SIZE];
            FlvWriter.writePreviousTagSize(previousTagSize, 0, FlvWriter.TAG_HEADER_SIZE + tag.body().length);
            out.writeBytes(previousTagSize);
        }
        return out.toByteArray();
    }

    /** Feeds {@code stream} in pieces of {@code pieceSize} bytes and collects the tags. */
    static List<FlvTag> readAll(FlvStreamReader reader, byte[] stream, int pieceSize) {
        List<FlvTag> tags = new ArrayList<>();
        for (int offset = 0; offset < stream.length; offset += pieceSize) {
            ByteBuffer piece = ByteBuffer.wrap(stream, offset, Math.min(pieceSize, stream.length - offset));
            Result result;
            while ((result = reader.feed(piece)) == Result.TAG) {
                tags.add(reader.tag());
            }
            if (result == Result.BAD_MESSAGE) {
                return tags;
            }
            assertEquals(0, piece.remaining(), "NEED_MORE_BYTES consumes all input");
        }
        return tags;
    }

    private static void assertSameTags(List<FlvTag> expected, List<FlvTag> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).type(), actual.get(i).type(), "tag " + i);
            assertEquals(expected.get(i).timestamp(), actual.get(i).timestamp(), "tag " + i);
            assertArrayEquals(expected.get(i).body(), actual.get(i).body(), "tag " + i);
        }
    }

    @ParameterizedTest(name = "pieces of {0} bytes")
    @ValueSource(ints = {1, 2, 3, 7, 11, 13, 64, 100_000})
    void readsBackWhatTheWriterWrote(int pieceSize) {
        FlvStreamReader reader = new FlvStreamReader();
        List<FlvTag> tags = readAll(reader, flv(true, true, TAGS), pieceSize);

        assertSameTags(TAGS, tags);
        assertTrue(reader.headerRead());
        assertTrue(reader.hasAudio());
        assertTrue(reader.hasVideo());
        assertTrue(reader.atTagBoundary());
        assertNull(reader.failureReason());
    }

    @Test
    void reportsHeaderFlags() {
        FlvStreamReader reader = new FlvStreamReader();
        assertFalse(reader.headerRead());

        assertEquals(Result.NEED_MORE_BYTES, reader.feed(ByteBuffer.wrap(FlvWriter.fileHeader(false, true))));
        assertTrue(reader.headerRead());
        assertFalse(reader.hasAudio());
        assertTrue(reader.hasVideo());
        assertTrue(reader.atTagBoundary());
    }

    @Test
    void skipsTheRestOfALargerDataOffset() {
        byte[] stream = hex("464c5601 05 0000000c abcdef 00000000 08000002 000010 00 000000 af01 0000000d");
        List<FlvTag> tags = readAll(new FlvStreamReader(), stream, 1);

        assertEquals(1, tags.size());
        assertEquals(16, tags.get(0).timestamp());
    }

    @Test
    void aTagSplitAcrossFeedsIsOnlyReturnedWhenComplete() {
        byte[] stream = flv(true, true, List.of(TAGS.get(1)));
        FlvStreamReader reader = new FlvStreamReader();

        assertEquals(Result.NEED_MORE_BYTES, reader.feed(ByteBuffer.wrap(stream, 0, stream.length - 5)));
        assertNull(reader.tag());
        assertFalse(reader.atTagBoundary());
        ByteBuffer rest = ByteBuffer.wrap(stream, stream.length - 5, 5);
        assertEquals(Result.TAG, reader.feed(rest));
        assertArrayEquals(TAGS.get(1).body(), reader.tag().body());
        assertEquals(4, rest.remaining(), "the reader stops right after a tag");
        assertEquals(Result.NEED_MORE_BYTES, reader.feed(rest));
        assertNull(reader.tag(), "tag() is cleared by the next feed");
        assertTrue(reader.atTagBoundary());
    }

    static Stream<Arguments> badStreams() {
        byte[] good = flv(true, true, List.of(TAGS.get(2)));
        byte[] wrongPreviousTagSize = good.clone();
        wrongPreviousTagSize[wrongPreviousTagSize.length - 1]++;
        byte[] encrypted = good.clone();
        encrypted[FlvWriter.FILE_HEADER_SIZE] |= 0x20;
        byte[] unknownType = good.clone();
        unknownType[FlvWriter.FILE_HEADER_SIZE] = 15;
        return Stream.of(
                Arguments.of("not FLV", hex("474554202f20485454502f312e310d0a"), "signature"),
                Arguments.of("version 2", hex("464c5602 05 00000009 00000000"), "version 2"),
                Arguments.of("DataOffset below 9", hex("464c5601 05 00000008 00000000"), "DataOffset 8"),
                Arguments.of("DataOffset far too large", hex("464c5601 05 7fffffff"), "DataOffset 2147483647"),
                Arguments.of("PreviousTagSize0 not zero", hex("464c5601 05 00000009 00000001"), "PreviousTagSize 1"),
                Arguments.of("PreviousTagSize not matching the tag", wrongPreviousTagSize, "PreviousTagSize 16"),
                Arguments.of("encrypted tag", encrypted, "encrypted"),
                Arguments.of("unknown tag type", unknownType, "unknown FLV tag type 15"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badStreams")
    void refusesBadStreamsWithAReason(String name, byte[] stream, String reason) {
        for (int pieceSize : new int[] {1, stream.length}) {
            FlvStreamReader reader = new FlvStreamReader();
            readAll(reader, stream, pieceSize);

            assertEquals(Result.BAD_MESSAGE, reader.feed(ByteBuffer.allocate(0)), "the failure is terminal");
            assertTrue(reader.failureReason().contains(reason), reader.failureReason());
        }
    }

    @Test
    void refusesATagLargerThanTheLimitBeforeReadingItsBody() {
        FlvStreamReader reader = new FlvStreamReader(1024);
        ByteBuffer in = ByteBuffer.wrap(hex("464c5601 05 00000009 00000000 09 000401 000000 00 000000"));

        assertEquals(Result.BAD_MESSAGE, reader.feed(in));
        assertTrue(reader.failureReason().contains("VIDEO tag of 1025 bytes exceeds the limit of 1024"),
                reader.failureReason());
        ByteBuffer more = ByteBuffer.wrap(new byte[16]);
        assertEquals(Result.BAD_MESSAGE, reader.feed(more));
        assertEquals(16, more.remaining(), "nothing is consumed after a failure");
    }

    @Test
    void theDefaultLimitIsWhatTheDataSizeFieldCanHold() {
        assertEquals(0xFF_FFFF, FlvStreamReader.MAX_TAG_DATA_SIZE);
        FlvStreamReader reader = new FlvStreamReader();
        ByteBuffer in = ByteBuffer.wrap(hex("464c5601 05 00000009 00000000 12 ffffff 000000 00 000000"));

        assertEquals(Result.NEED_MORE_BYTES, reader.feed(in));
        assertNull(reader.failureReason());
    }

    @Test
    void randomBytesAfterAValidHeaderNeverThrow() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            stream.writeBytes(FlvWriter.fileHeader(true, true));
            stream.writeBytes(garbage);
            FlvStreamReader reader = new FlvStreamReader(4096);
            readAll(reader, stream.toByteArray(), 1 + random.nextInt(40));
            if (reader.failureReason() != null) {
                assertEquals(Result.BAD_MESSAGE, reader.feed(ByteBuffer.allocate(1)));
            }
        }
    }
}
