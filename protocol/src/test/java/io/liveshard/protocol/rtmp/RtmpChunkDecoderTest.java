package io.liveshard.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtmpChunkDecoderTest {

    private static final RtmpLimits LIMITS = RtmpLimits.defaults();

    /** What a decoder produced from some input: the messages, then how it stopped. */
    record Outcome(List<RtmpMessage> messages, RtmpChunkDecoder.Result last, String failureReason,
            long bytesReceived) {
    }

    /** Feeds the pieces one after another, keeping unconsumed bytes as a network reader would. */
    static Outcome decode(RtmpLimits limits, List<byte[]> pieces) {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(limits);
        List<RtmpMessage> messages = new ArrayList<>();
        RtmpChunkDecoder.Result result = RtmpChunkDecoder.Result.NEED_MORE_BYTES;
        ByteBuffer pending = ByteBuffer.allocate(0);
        for (byte[] piece : pieces) {
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + piece.length).put(pending).put(piece).flip();
            while ((result = decoder.decode(in)) == RtmpChunkDecoder.Result.MESSAGE) {
                messages.add(decoder.message());
            }
            if (result == RtmpChunkDecoder.Result.BAD_MESSAGE) {
                break;
            }
            pending = in;
        }
        return new Outcome(messages, result, decoder.failureReason(), decoder.bytesReceived());
    }

    static Outcome decode(byte[] data) {
        return decode(LIMITS, List.of(data));
    }

    static Outcome decodeByteAtATime(byte[] data) {
        List<byte[]> pieces = new ArrayList<>();
        for (byte b : data) {
            pieces.add(new byte[] {b});
        }
        return decode(LIMITS, pieces);
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Spec section 5.3.2.1: four audio messages on one chunk stream with type 0, 2, 3 and 3 headers. */
    @Test
    void specExampleAudioWithTypes0And2And3() {
        String payload = "aa".repeat(32);
        byte[] data = hex("03 0003e8 000020 08 39300000" + payload
                + "83 000014" + payload + "c3" + payload + "c3" + payload);
        Outcome outcome = decode(data);
        assertEquals(RtmpChunkDecoder.Result.NEED_MORE_BYTES, outcome.last());
        assertEquals(List.of(1000L, 1020L, 1040L, 1060L),
                outcome.messages().stream().map(RtmpMessage::timestamp).toList());
        for (RtmpMessage message : outcome.messages()) {
            assertEquals(3, message.chunkStreamId());
            assertEquals(8, message.typeId());
            assertEquals(12345, message.messageStreamId());
            assertEquals(32, message.payload().length);
        }
        assertEquals(data.length, outcome.bytesReceived());
    }

    /** Spec section 5.3.2.2: a 307-byte video message in 128-byte chunks, continued with type 3 headers. */
    @Test
    void specExampleVideoSplitIntoChunks() {
        byte[] payload = new byte[307];
        new Random(7).nextBytes(payload);
        String p = HexFormat.of().formatHex(payload);
        byte[] data = hex("04 0003e8 000133 09 3a300000" + p.substring(0, 256) + "c4" + p.substring(256, 512)
                + "c4" + p.substring(512));
        Outcome outcome = decode(data);
        assertEquals(1, outcome.messages().size());
        RtmpMessage message = outcome.messages().get(0);
        assertEquals(new RtmpMessage(4, 9, 1000, 12346, message.payload()).toString(), message.toString());
        assertArrayEquals(payload, message.payload());
    }

    @Test
    void type1HeaderChangesLengthAndTypeButKeepsStreamId() {
        byte[] data = hex("05 000064 000002 08 01000000 a1a2"
                + "45 00000a 000003 09 b1b2b3"
                + "85 000005 c1c2c3");
        Outcome outcome = decode(data);
        assertEquals(List.of(100L, 110L, 115L), outcome.messages().stream().map(RtmpMessage::timestamp).toList());
        assertEquals(List.of(8, 9, 9), outcome.messages().stream().map(RtmpMessage::typeId).toList());
        assertEquals(List.of(1, 1, 1), outcome.messages().stream().map(RtmpMessage::messageStreamId).toList());
        assertArrayEquals(hex("c1c2c3"), outcome.messages().get(2).payload());
    }

    /** After a type 0 header, a type 3 header repeats its timestamp field as a delta, as ffmpeg and librtmp read it. */
    @Test
    void type3HeaderStartingAMessageRepeatsTheLastDelta() {
        byte[] data = hex("06 000010 000001 12 00000000 01" + "c6 02" + "86 000005 03" + "c6 04");
        assertEquals(List.of(16L, 32L, 37L, 42L),
                decode(data).messages().stream().map(RtmpMessage::timestamp).toList());
    }

    static Stream<Arguments> extendedTimestamps() {
        String payload = "ee".repeat(200);
        String first = payload.substring(0, 256);
        String rest = payload.substring(256);
        return Stream.of(
                Arguments.of("type 0 with extended timestamp on the continuation chunk",
                        "03 ffffff 0000c8 09 01000000 01000000" + first + "c3 01000000" + rest,
                        List.of(0x01000000L)),
                Arguments.of("type 0 at exactly 0xFFFFFF",
                        "03 ffffff 0000c8 09 01000000 00ffffff" + first + "c3 00ffffff" + rest,
                        List.of(0xFFFFFFL)),
                Arguments.of("continuation chunk without the extended timestamp, as some encoders send it",
                        "03 ffffff 0000c8 09 01000000 01000000" + first + "c3" + rest,
                        List.of(0x01000000L)),
                Arguments.of("type 1 with an extended delta, then type 3 repeating it",
                        "03 000001 000001 08 01000000 aa" + "43 ffffff 000001 08 fffffffe bb" + "c3 fffffffe cc",
                        List.of(1L, 0xFFFFFFFFL, 0xFFFFFFFDL)),
                Arguments.of("type 2 delta wrapping around 2^32",
                        "03 fffffe 000001 08 01000000 aa" + "83 000003 bb", List.of(0xFFFFFEL, 0x1000001L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extendedTimestamps")
    void readsExtendedTimestamps(String name, String data, List<Long> timestamps) {
        Outcome outcome = decode(hex(data));
        assertEquals(RtmpChunkDecoder.Result.NEED_MORE_BYTES, outcome.last(), outcome.failureReason());
        assertEquals(timestamps, outcome.messages().stream().map(RtmpMessage::timestamp).toList());
        assertEquals(decodeByteAtATime(hex(data)).messages().stream().map(RtmpMessage::timestamp).toList(),
                timestamps);
    }

    @ParameterizedTest(name = "chunk stream id {0}")
    @MethodSource("chunkStreamIds")
    void readsOneTwoAndThreeByteBasicHeaders(int csid, String basicHeader) {
        byte[] data = hex(basicHeader + "000000 000001 08 00000000 5a");
        Outcome outcome = decode(data);
        assertEquals(csid, outcome.messages().get(0).chunkStreamId());
    }

    static Stream<Arguments> chunkStreamIds() {
        return Stream.of(
                Arguments.of(2, "02"), Arguments.of(63, "3f"), Arguments.of(64, "0000"), Arguments.of(319, "00ff"),
                Arguments.of(320, "010001"), Arguments.of(65599, "01ffff"));
    }

    @Test
    void reassemblesInterleavedChunkStreams() {
        String a = "11".repeat(200);
        String b = "22".repeat(150);
        byte[] data = hex("04 000000 0000c8 09 01000000" + a.substring(0, 256)
                + "06 000005 000096 08 01000000" + b.substring(0, 256)
                + "c4" + a.substring(256)
                + "c6" + b.substring(256));
        Outcome outcome = decode(data);
        assertEquals(2, outcome.messages().size());
        RtmpMessage first = outcome.messages().get(0);
        RtmpMessage second = outcome.messages().get(1);
        assertEquals(4, first.chunkStreamId());
        assertArrayEquals(hex(a), first.payload());
        assertEquals(6, second.chunkStreamId());
        assertEquals(5, second.timestamp());
        assertArrayEquals(hex(b), second.payload());
    }

    @Test
    void appliesSetChunkSizeToTheFollowingChunks() {
        String big = "33".repeat(300);
        byte[] data = hex("02 000000 000004 01 00000000 0000012c" + "04 000000 00012c 09 01000000" + big);
        Outcome outcome = decode(data);
        assertEquals(2, outcome.messages().size());
        assertEquals(RtmpMessageType.SET_CHUNK_SIZE.code(), outcome.messages().get(0).typeId());
        assertArrayEquals(hex(big), outcome.messages().get(1).payload());
    }

    @Test
    void abortDropsThePartialMessage() {
        byte[] data = hex("04 000000 0000c8 09 01000000" + "11".repeat(128)
                + "02 000000 000004 02 00000000 00000004"
                + "04 000007 000002 09 01000000 abcd");
        Outcome outcome = decode(data);
        assertEquals(RtmpChunkDecoder.Result.NEED_MORE_BYTES, outcome.last(), outcome.failureReason());
        assertEquals(List.of(2, 9), outcome.messages().stream().map(RtmpMessage::typeId).toList());
        assertArrayEquals(hex("abcd"), outcome.messages().get(1).payload());
    }

    @Test
    void deliversEmptyMessages() {
        Outcome outcome = decode(hex("04 000000 000000 09 01000000" + "84 000001"));
        assertEquals(List.of(0, 0), outcome.messages().stream().map(m -> m.payload().length).toList());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("chunk size 0", LIMITS, "02 000000 000004 01 00000000 00000000",
                        "chunk size 0 out of range 1..16777216"),
                Arguments.of("chunk size over 16 MiB", LIMITS, "02 000000 000004 01 00000000 01000001",
                        "chunk size 16777217 out of range 1..16777216"),
                Arguments.of("negative chunk size", LIMITS, "02 000000 000004 01 00000000 80000000",
                        "chunk size -2147483648 out of range 1..16777216"),
                Arguments.of("chunk size above a lower limit",
                        new RtmpLimits(65536, 8 << 20, 16, 64, 4096, 2_500_000),
                        "02 000000 000004 01 00000000 00010001", "chunk size 65537 out of range 1..65536"),
                Arguments.of("short set chunk size", LIMITS, "02 000000 000002 01 00000000 0001",
                        "set chunk size message of 2 bytes instead of 4"),
                Arguments.of("message over the size limit", LIMITS, "03 000000 800001 09 01000000",
                        "message length 8388609 on chunk stream 3 over limit 8388608"),
                Arguments.of("command longer than commands are", LIMITS, "03 000000 010001 14 00000000",
                        "type 20 message of 65537 bytes on chunk stream 3 over limit 65536"),
                Arguments.of("metadata longer than metadata is", LIMITS, "05 000000 100000 12 01000000",
                        "type 18 message of 1048576 bytes on chunk stream 5 over limit 65536"),
                Arguments.of("first header of a chunk stream is type 1", LIMITS, "43 000000 000001 09 00",
                        "chunk stream 3 starts with a type 1 header instead of type 0"),
                Arguments.of("first header of a chunk stream is type 3", LIMITS, "c5 00",
                        "chunk stream 5 starts with a type 3 header instead of type 0"),
                Arguments.of("new header in the middle of a message", LIMITS,
                        "04 000000 0000c8 09 01000000" + "11".repeat(128) + "44 000000 000001 09 00",
                        "type 1 header on chunk stream 4 in the middle of a message"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesBadInput(String name, RtmpLimits limits, String data, String reason) {
        Outcome outcome = decode(limits, List.of(hex(data)));
        assertEquals(RtmpChunkDecoder.Result.BAD_MESSAGE, outcome.last());
        assertEquals(reason, outcome.failureReason());
    }

    @Test
    void refusesMoreChunkStreamsThanTheLimit() {
        RtmpLimits limits = new RtmpLimits(1 << 24, 1 << 20, 16, 4, 4096, 2_500_000);
        StringBuilder data = new StringBuilder();
        for (int csid = 3; csid <= 7; csid++) {
            data.append(String.format("%02x", csid)).append("000000 000001 08 01000000 00");
        }
        Outcome outcome = decode(limits, List.of(hex(data.toString())));
        assertEquals(4, outcome.messages().size());
        assertEquals("more than 4 chunk streams", outcome.failureReason());
    }

    @Test
    void acceptsMediaMessagesUpToTheLimit() {
        RtmpLimits limits = new RtmpLimits(1 << 24, 100_000, 16, 64, 4096, 2_500_000);
        Outcome outcome = decode(limits, List.of(hex("02 000000 000004 01 00000000 00100000"
                + "06 000000 0186a0 09 01000000" + "00".repeat(100_000))));
        assertEquals(2, outcome.messages().size(), outcome.failureReason());
        assertEquals(100_000, outcome.messages().get(1).payload().length);
    }

    @Test
    void refusesMoreUnfinishedMessagesThanOneConnectionMayHold() {
        // Messages of 900 bytes in chunks of 500: each chunk stream is left holding half a message.
        RtmpLimits limits = new RtmpLimits(1 << 24, 1000, 16, 64, 4096, 2_500_000);
        StringBuilder data = new StringBuilder("02 000000 000004 01 00000000 000001f4");
        for (int csid = 4; csid <= 8; csid++) {
            data.append(String.format("%02x", csid)).append("000000 000384 09 01000000").append("00".repeat(500));
        }
        Outcome outcome = decode(limits, List.of(hex(data.toString())));
        assertEquals(RtmpChunkDecoder.Result.BAD_MESSAGE, outcome.last());
        assertEquals("over 2000 bytes of unfinished messages on 6 chunk streams", outcome.failureReason());
    }

    @Test
    void finishedAndAbortedMessagesNoLongerCountAsUnfinished() {
        // Five times half a message, each finished or aborted before the next: never more than 500 bytes held.
        RtmpLimits limits = new RtmpLimits(1 << 24, 1000, 16, 64, 4096, 2_500_000);
        StringBuilder data = new StringBuilder("02 000000 000004 01 00000000 000001f4");
        for (int round = 0; round < 5; round++) {
            data.append("04 000000 000384 09 01000000").append("00".repeat(500))
                    .append(round % 2 == 0 ? "c4" + "00".repeat(400) : "02 000000 000004 02 00000000 00000004");
        }
        Outcome outcome = decode(limits, List.of(hex(data.toString())));
        assertEquals(RtmpChunkDecoder.Result.NEED_MORE_BYTES, outcome.last(), outcome.failureReason());
    }

    @Test
    void staysBadOnceBad() {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(LIMITS);
        assertEquals(RtmpChunkDecoder.Result.BAD_MESSAGE, decoder.decode(ByteBuffer.wrap(hex("c5 00"))));
        ByteBuffer valid = ByteBuffer.wrap(hex("03 000000 000001 08 01000000 00"));
        assertEquals(RtmpChunkDecoder.Result.BAD_MESSAGE, decoder.decode(valid));
        assertEquals(0, valid.position());
    }

    /** A stream with every header type, extended timestamps, interleaving and a chunk size change. */
    static byte[] richStream() {
        RtmpTestPeer peer = new RtmpTestPeer();
        Random random = new Random(3);
        long[] timestamps = {0, 40, 80, 0xFFFFF0L, 0x1000020L, 0x1000060L, 10, 50};
        for (int i = 0; i < timestamps.length; i++) {
            byte[] video = new byte[100 + random.nextInt(500)];
            random.nextBytes(video);
            byte[] audio = new byte[i % 2 == 0 ? 21 : 300];
            random.nextBytes(audio);
            peer.message(6, 9, timestamps[i], 1, video);
            peer.message(4, 8, timestamps[i] + 3, 1, audio);
            peer.message(400, 18, timestamps[i], 1, new byte[] {2, 0, 1, 'x'});
        }
        // The test peer's encoder keeps 128-byte chunks, so announce 128 again: a valid no-op that still exercises
        // the path.
        peer.message(2, 1, 0, 0, RtmpTestPeer.u32(128));
        peer.message(70, 9, 5, 2, new byte[0]);
        return peer.take();
    }

    @Test
    void byteAtATimeGivesTheSameMessages() {
        byte[] data = richStream();
        Outcome whole = decode(data);
        Outcome bytewise = decodeByteAtATime(data);
        assertEquals(RtmpChunkDecoder.Result.NEED_MORE_BYTES, whole.last(), whole.failureReason());
        assertEquals(26, whole.messages().size());
        assertSameMessages(whole.messages(), bytewise.messages());
        assertEquals(data.length, whole.bytesReceived());
        assertEquals(data.length, bytewise.bytesReceived());
    }

    @Test
    void everyTruncationWaitsForMoreBytes() {
        byte[] data = richStream();
        List<RtmpMessage> all = decode(data).messages();
        for (int length = 0; length < data.length; length++) {
            Outcome outcome = decode(Arrays.copyOf(data, length));
            assertEquals(RtmpChunkDecoder.Result.NEED_MORE_BYTES, outcome.last(), "cut at " + length);
            assertSameMessages(all.subList(0, outcome.messages().size()), outcome.messages());
            assertTrue(outcome.bytesReceived() <= length);
        }
    }

    @Test
    void randomGarbageNeverThrows() {
        Random random = new Random(11);
        int bad = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] data = new byte[random.nextInt(400)];
            random.nextBytes(data);
            Outcome outcome = decode(data);
            if (outcome.last() == RtmpChunkDecoder.Result.BAD_MESSAGE) {
                bad++;
                assertNotEquals(null, outcome.failureReason());
            }
        }
        assertTrue(bad > 0);
    }

    static void assertSameMessages(List<RtmpMessage> expected, List<RtmpMessage> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).toString(), actual.get(i).toString(), "message " + i);
            assertArrayEquals(expected.get(i).payload(), actual.get(i).payload(), "message " + i);
        }
    }
}
