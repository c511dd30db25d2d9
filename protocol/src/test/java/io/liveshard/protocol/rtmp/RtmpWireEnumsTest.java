package io.liveshard.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RtmpWireEnumsTest {

    static Stream<Arguments> messageTypes() {
        return Stream.of(
                Arguments.of(RtmpMessageType.SET_CHUNK_SIZE, 1), Arguments.of(RtmpMessageType.ABORT, 2),
                Arguments.of(RtmpMessageType.ACKNOWLEDGEMENT, 3), Arguments.of(RtmpMessageType.USER_CONTROL, 4),
                Arguments.of(RtmpMessageType.WINDOW_ACK_SIZE, 5), Arguments.of(RtmpMessageType.SET_PEER_BANDWIDTH, 6),
                Arguments.of(RtmpMessageType.AUDIO, 8), Arguments.of(RtmpMessageType.VIDEO, 9),
                Arguments.of(RtmpMessageType.DATA_AMF3, 15), Arguments.of(RtmpMessageType.SHARED_OBJECT_AMF3, 16),
                Arguments.of(RtmpMessageType.COMMAND_AMF3, 17), Arguments.of(RtmpMessageType.DATA_AMF0, 18),
                Arguments.of(RtmpMessageType.SHARED_OBJECT_AMF0, 19), Arguments.of(RtmpMessageType.COMMAND_AMF0, 20),
                Arguments.of(RtmpMessageType.AGGREGATE, 22));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("messageTypes")
    void messageTypeMapsBothWays(RtmpMessageType type, int code) {
        assertEquals(code, type.code());
        assertEquals(Optional.of(type), RtmpMessageType.fromCode(code));
    }

    @ParameterizedTest(name = "message type {0} is unknown")
    @ValueSource(ints = {-1, 0, 7, 10, 14, 21, 23, 255})
    void unknownMessageTypesAreRefused(int code) {
        assertEquals(Optional.empty(), RtmpMessageType.fromCode(code));
    }

    @Test
    void userControlEventsMapBothWays() {
        for (RtmpUserControlEvent event : RtmpUserControlEvent.values()) {
            assertEquals(Optional.of(event), RtmpUserControlEvent.fromCode(event.code()));
        }
        assertEquals(6, RtmpUserControlEvent.PING_REQUEST.code());
        assertEquals(Optional.empty(), RtmpUserControlEvent.fromCode(5));
        assertEquals(Optional.empty(), RtmpUserControlEvent.fromCode(31));
    }

    @Test
    void defaultLimits() {
        assertEquals(new RtmpLimits(16 * 1024 * 1024, 8 * 1024 * 1024, 16, 64, 4096, 2_500_000), RtmpLimits.defaults());
    }

    static Stream<Arguments> badLimits() {
        return Stream.of(
                Arguments.of("chunk size 0", (Runnable) () -> new RtmpLimits(0, 1, 1, 1, 128, 1),
                        "max chunk size 0 out of range 1..16777216"),
                Arguments.of("message size over 24 bits", (Runnable) () -> new RtmpLimits(128, 1 << 24, 1, 1, 128, 1),
                        "max message size 16777216 out of range 1..16777215"),
                Arguments.of("AMF depth 0", (Runnable) () -> new RtmpLimits(128, 1, 0, 1, 128, 1),
                        "max AMF depth 0 out of range 1..1024"),
                Arguments.of("no chunk streams", (Runnable) () -> new RtmpLimits(128, 1, 1, 0, 128, 1),
                        "max chunk streams 0 out of range 1..65598"),
                Arguments.of("output chunk size 0", (Runnable) () -> new RtmpLimits(128, 1, 1, 1, 0, 1),
                        "out chunk size 0 out of range 1..16777216"),
                Arguments.of("window 0", (Runnable) () -> new RtmpLimits(128, 1, 1, 1, 128, 0),
                        "window ack size 0 out of range 1..2147483647"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLimits")
    void refusesNonsenseLimits(String name, Runnable create, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, create::run);
        assertTrue(e.getMessage().equals(message), e.getMessage());
    }
}
