package io.liveshard.protocol.srtp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SrtpReplayWindowTest {

    private static void accept(SrtpReplayWindow window, long index) throws SrtpException {
        window.check(index, 1);
        window.accept(index);
    }

    @Test
    void theWindowReachesBack63Indices() throws SrtpException {
        SrtpReplayWindow window = new SrtpReplayWindow();
        accept(window, 1000);
        assertDoesNotThrow(() -> window.check(1000 - 63, 1));
        assertEquals(SrtpException.Reason.TOO_OLD,
                assertThrows(SrtpException.class, () -> window.check(1000 - 64, 1)).reason());
    }

    @Test
    void aJumpBeyondTheWindowForgetsEverythingBefore() throws SrtpException {
        SrtpReplayWindow window = new SrtpReplayWindow();
        accept(window, 5);
        accept(window, 500);
        assertEquals(500, window.highest());
        accept(window, 499);
        assertEquals(SrtpException.Reason.REPLAYED,
                assertThrows(SrtpException.class, () -> window.check(499, 1)).reason());
        assertEquals(SrtpException.Reason.REPLAYED,
                assertThrows(SrtpException.class, () -> window.check(500, 1)).reason());
    }

    @Test
    void indexZeroCountsAsSeen() throws SrtpException {
        SrtpReplayWindow window = new SrtpReplayWindow();
        accept(window, 0);
        assertEquals(SrtpException.Reason.REPLAYED,
                assertThrows(SrtpException.class, () -> window.check(0, 1)).reason());
    }
}
