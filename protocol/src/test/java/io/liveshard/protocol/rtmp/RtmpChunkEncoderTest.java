package io.liveshard.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtmpChunkEncoderTest {

    /** One message to encode: on chunk stream 4 unless said otherwise. */
    record Msg(int typeId, long timestamp, int messageStreamId, int length) {
    }

    static Stream<Arguments> headerChoices() {
        return Stream.of(
                Arguments.of("first message is type 0", List.of(new Msg(9, 100, 1, 10)), 0),
                Arguments.of("same length and type is type 2",
                        List.of(new Msg(9, 100, 1, 10), new Msg(9, 140, 1, 10)), 2),
                Arguments.of("same timestamp is type 2 with delta 0",
                        List.of(new Msg(9, 100, 1, 10), new Msg(9, 100, 1, 10)), 2),
                Arguments.of("other length is type 1",
                        List.of(new Msg(9, 100, 1, 10), new Msg(9, 140, 1, 11)), 1),
                Arguments.of("other type is type 1",
                        List.of(new Msg(9, 100, 1, 10), new Msg(8, 140, 1, 10)), 1),
                Arguments.of("other message stream is type 0",
                        List.of(new Msg(9, 100, 1, 10), new Msg(9, 140, 2, 10)), 0),
                Arguments.of("timestamp going backwards is type 0",
                        List.of(new Msg(9, 100, 1, 10), new Msg(9, 99, 1, 10)), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headerChoices")
    void choosesTheSmallestHeader(String name, List<Msg> messages, int expectedFmt) {
        RtmpChunkEncoder encoder = new RtmpChunkEncoder(128);
        RtmpRecordingSink sink = new RtmpRecordingSink();
        for (Msg m : messages) {
            sink.slices.clear();
            encoder.encode(4, m.typeId(), m.timestamp(), m.messageStreamId(), new byte[m.length()], sink);
        }
        byte[] header = sink.slices.get(0).array();
        assertEquals(expectedFmt, (header[0] & 0xFF) >>> 6);
        assertEquals(new int[] {12, 8, 4, 1}[expectedFmt], sink.slices.get(0).length());
        assertRoundTrips(messages, 128);
    }

    @Test
    void passesPayloadSlicesWithoutCopying() {
        byte[] payload = new byte[300];
        new Random(5).nextBytes(payload);
        RtmpRecordingSink sink = new RtmpRecordingSink();
        new RtmpChunkEncoder(128).encode(6, 9, 0, 1, payload, sink);
        List<RtmpRecordingSink.Slice> slices = sink.slices;
        assertEquals(6, slices.size());
        int[][] expected = {{0, 128}, {128, 128}, {256, 44}};
        for (int i = 0; i < 3; i++) {
            RtmpRecordingSink.Slice data = slices.get(2 * i + 1);
            assertSame(payload, data.array());
            assertEquals(expected[i][0], data.offset());
            assertEquals(expected[i][1], data.length());
        }
        assertArrayEquals(new byte[] {(byte) 0xC6}, slices.get(2).array());
        assertArrayEquals(new byte[] {(byte) 0xC6}, slices.get(4).array());
    }

    @Test
    void writesSpecExampleBytes() {
        RtmpRecordingSink sink = new RtmpRecordingSink();
        RtmpChunkEncoder encoder = new RtmpChunkEncoder(128);
        encoder.encode(3, 8, 1000, 12345, new byte[] {1, 2}, sink);
        encoder.encode(3, 8, 1020, 12345, new byte[] {3, 4}, sink);
        assertEquals("030003e8000002083930000001 02".replace(" ", "") + "830000140304",
                HexFormat.of().formatHex(sink.toByteArray()));
    }

    static Stream<Arguments> extendedTimestamps() {
        return Stream.of(
                Arguments.of("just below the marker", 0xFFFFFEL, false),
                Arguments.of("exactly the marker value", 0xFFFFFFL, true),
                Arguments.of("large", 0xFFFFFFF0L, true),
                Arguments.of("above 2^32, taken modulo 2^32", 0x1_0000_0005L, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extendedTimestamps")
    void writesExtendedTimestampsOnEveryChunk(String name, long timestamp, boolean extended) {
        RtmpRecordingSink sink = new RtmpRecordingSink();
        new RtmpChunkEncoder(128).encode(5, 9, timestamp, 1, new byte[200], sink);
        assertEquals(extended ? 16 : 12, sink.slices.get(0).length());
        assertEquals(extended ? 5 : 1, sink.slices.get(2).length());
        if (extended) {
            byte[] continuation = sink.slices.get(2).array();
            assertEquals(timestamp & 0xFFFFFFFFL, ByteBuffer.wrap(continuation, 1, 4).getInt() & 0xFFFFFFFFL);
        }
        assertRoundTrips(List.of(new Msg(9, timestamp, 1, 200), new Msg(9, timestamp + 0x1000000, 1, 200)), 128);
    }

    @Test
    void extendedDeltaRoundTrips() {
        assertRoundTrips(List.of(new Msg(9, 10, 1, 300), new Msg(9, 10 + 0x1000000L, 1, 300),
                new Msg(9, 20 + 0x2000000L, 1, 5)), 128);
    }

    @ParameterizedTest(name = "chunk stream id {0}")
    @MethodSource("csids")
    void roundTripsEveryBasicHeaderLength(int csid) {
        RtmpRecordingSink sink = new RtmpRecordingSink();
        RtmpChunkEncoder encoder = new RtmpChunkEncoder(128);
        encoder.encode(csid, 9, 1, 1, new byte[200], sink);
        encoder.encode(csid, 9, 2, 1, new byte[200], sink);
        RtmpChunkDecoderTest.Outcome outcome = RtmpChunkDecoderTest.decode(sink.toByteArray());
        assertEquals(List.of(csid, csid), outcome.messages().stream().map(RtmpMessage::chunkStreamId).toList());
        assertEquals(List.of(1L, 2L), outcome.messages().stream().map(RtmpMessage::timestamp).toList());
    }

    static Stream<Integer> csids() {
        return Stream.of(2, 63, 64, 319, 320, 65599);
    }

    @Test
    void refusesInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new RtmpChunkEncoder(0));
        assertThrows(IllegalArgumentException.class, () -> new RtmpChunkEncoder(RtmpLimits.MAX_CHUNK_SIZE + 1));
        RtmpChunkEncoder encoder = new RtmpChunkEncoder(128);
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(1, 9, 0, 1, new byte[1], (a, o, l) -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(65600, 9, 0, 1, new byte[1], (a, o, l) -> { }));
    }

    @Test
    void chunkSizeChangeTakesEffectOnTheNextMessage() {
        RtmpChunkEncoder encoder = new RtmpChunkEncoder(128);
        RtmpRecordingSink sink = new RtmpRecordingSink();
        encoder.encode(2, 1, 0, 0, RtmpTestPeer.u32(4096), sink);
        encoder.setChunkSize(4096);
        assertEquals(4096, encoder.chunkSize());
        encoder.encode(6, 9, 0, 1, new byte[5000], sink);
        RtmpChunkDecoderTest.Outcome outcome = RtmpChunkDecoderTest.decode(sink.toByteArray());
        assertEquals(5000, outcome.messages().get(1).payload().length);
        assertEquals(2 + 4, sink.slices.size(), "set chunk size in one chunk, then 5000 bytes in two");
    }

    /** Encodes the messages on chunk stream 4 and checks the decoder gets them back. */
    private static void assertRoundTrips(List<Msg> messages, int chunkSize) {
        RtmpChunkEncoder encoder = new RtmpChunkEncoder(chunkSize);
        RtmpRecordingSink sink = new RtmpRecordingSink();
        Random random = new Random(9);
        List<byte[]> payloads = new ArrayList<>();
        for (Msg m : messages) {
            byte[] payload = new byte[m.length()];
            random.nextBytes(payload);
            payloads.add(payload);
            encoder.encode(4, m.typeId(), m.timestamp(), m.messageStreamId(), payload, sink);
        }
        RtmpChunkDecoderTest.Outcome outcome = RtmpChunkDecoderTest.decodeByteAtATime(sink.toByteArray());
        assertEquals(messages.size(), outcome.messages().size(), outcome.failureReason());
        for (int i = 0; i < messages.size(); i++) {
            RtmpMessage decoded = outcome.messages().get(i);
            Msg m = messages.get(i);
            assertEquals(m.timestamp() & 0xFFFFFFFFL, decoded.timestamp(), "timestamp of message " + i);
            assertEquals(m.typeId(), decoded.typeId());
            assertEquals(m.messageStreamId(), decoded.messageStreamId());
            assertArrayEquals(payloads.get(i), decoded.payload());
        }
    }
}
