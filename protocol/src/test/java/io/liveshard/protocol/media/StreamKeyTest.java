package io.liveshard.protocol.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamKeyTest {

    @ParameterizedTest(name = "stream name \"{0}\" is refused")
    @ValueSource(strings = {"", ".", "..", "../etc", "a/b", "cam\n1", "cam\u00001", "cam 1", "caméra", "a%2e%2e"})
    void refusesNamesThatCouldTraverseOrForge(String stream) {
        assertFalse(StreamKey.parse("live", stream).isPresent());
        assertTrue(StreamKey.problem("live", stream).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new StreamKey("live", stream));
    }

    @ParameterizedTest(name = "stream name \"{0}\" is accepted")
    @ValueSource(strings = {"cam1", "Cam-1_b.v2", "a", "..x", "x.."})
    void acceptsOrdinaryNames(String stream) {
        assertEquals("live/" + stream, StreamKey.parse("live", stream).orElseThrow().id());
    }

    @Test
    void refusesOverlongNames() {
        assertFalse(StreamKey.parse("live", "x".repeat(StreamKey.MAX_PART_LENGTH + 1)).isPresent());
        assertTrue(StreamKey.parse("live", "x".repeat(StreamKey.MAX_PART_LENGTH)).isPresent());
    }

    @Test
    void entityIdRoundTrips() {
        StreamKey key = new StreamKey("live", "cam1");
        assertEquals(key, StreamKey.fromId(key.id()));
    }
}
