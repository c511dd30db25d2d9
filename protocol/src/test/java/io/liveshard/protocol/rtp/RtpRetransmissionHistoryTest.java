package io.liveshard.protocol.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtpRetransmissionHistoryTest {

    private static final long MS = 1_000_000L;

    private final RtpPacketizedFrame frame = frame();

    @Test
    void findsWhatWasSentByReferenceWithoutCopies() {
        RtpRetransmissionHistory history = history(16, 1000);
        history.record(100, frame, 2, 0);
        history.record(101, frame, 3, 0);

        int slot = history.find(100, 5 * MS);
        assertSame(frame, history.frameAt(slot));
        assertEquals(2, history.packetIndexAt(slot));
        assertEquals(3, history.packetIndexAt(history.find(101, 5 * MS)));
        assertEquals(-1, history.find(102, 5 * MS), "never sent");
        assertEquals(-1, history.find(99, 5 * MS), "never sent");
    }

    @Test
    void theOldestIsEvictedWhenTheRingIsFull() {
        RtpRetransmissionHistory history = history(16, 1000);
        for (int sequence = 0; sequence < 20; sequence++) {
            history.record(sequence, frame, sequence, 0);
        }
        for (int sequence = 0; sequence < 4; sequence++) {
            assertEquals(-1, history.find(sequence, 0), "evicted: " + sequence);
        }
        for (int sequence = 4; sequence < 20; sequence++) {
            assertEquals(sequence, history.packetIndexAt(history.find(sequence, 0)));
        }
    }

    @ParameterizedTest(name = "sent at {0} ms, asked at {1} ms -> found {2}")
    @CsvSource({"0, 0, true", "0, 1000, true", "0, 1001, false", "500, 1500, true", "500, 1501, false"})
    void packetsOlderThanTheMaximumAgeAreNotResent(long sentMillis, long askedMillis, boolean found) {
        RtpRetransmissionHistory history = history(16, 1000);
        history.record(7, frame, 0, sentMillis * MS);

        assertEquals(found, history.find(7, askedMillis * MS) >= 0);
    }

    @Test
    void sequenceNumbersWrap() {
        RtpRetransmissionHistory history = history(1024, 1000);
        for (int i = 0; i < 100; i++) {
            history.record((65486 + i) & 0xFFFF, frame, i, 0);
        }
        assertEquals(0, history.packetIndexAt(history.find(65486, 0)));
        assertEquals(49, history.packetIndexAt(history.find(65535, 0)));
        assertEquals(50, history.packetIndexAt(history.find(0, 0)));
        assertEquals(99, history.packetIndexAt(history.find(49, 0)));
        assertEquals(-1, history.find(50, 0));
    }

    @Test
    void aStaleEntryFromAnEarlierCycleIsNeverTakenForANewOne() {
        RtpRetransmissionHistory history = history(16, 1_000_000);
        history.record(5, frame, 1, 0);
        // The sender jumps far ahead (a bug, a restarted source): slot 5 still holds sequence 5, which is now far
        // outside the window behind the newest and must not be found.
        history.record(30_000, frame, 2, 0);
        assertEquals(-1, history.find(5, 0));
        history.record(60_000, frame, 3, 0);
        history.record(4, frame, 4, 0);
        assertEquals(-1, history.find(5, 0), "5 of the next cycle would be newer than the newest (4)");
        assertEquals(4, history.packetIndexAt(history.find(4, 0)));
    }

    @Test
    void clearForgetsEverything() {
        RtpRetransmissionHistory history = history(16, 1000);
        history.record(1, frame, 0, 0);
        history.clear();
        assertEquals(-1, history.find(1, 0));
        history.record(2, frame, 0, 0);
        assertEquals(0, history.packetIndexAt(history.find(2, 0)));
    }

    @ParameterizedTest(name = "capacity {0}")
    @CsvSource({"0", "3", "1000", "65536", "-2"})
    void theCapacityIsAPowerOfTwoWithinHalfTheSequenceSpace(int capacity) {
        assertThrows(IllegalArgumentException.class,
                () -> new RtpRetransmissionHistoryConfig(capacity, Duration.ofSeconds(1)));
    }

    @Test
    void theMaximumAgeIsPositive() {
        assertThrows(IllegalArgumentException.class, () -> new RtpRetransmissionHistoryConfig(16, Duration.ZERO));
        assertEquals(32768, new RtpRetransmissionHistoryConfig(32768, Duration.ofSeconds(1)).capacity());
    }

    private static RtpRetransmissionHistory history(int capacity, long maxAgeMillis) {
        return new RtpRetransmissionHistory(new RtpRetransmissionHistoryConfig(capacity,
                Duration.ofMillis(maxAgeMillis)));
    }

    private static RtpPacketizedFrame frame() {
        try {
            RtpH264Packetizer packetizer = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
            packetizer.configure(new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4,
                    List.of(RtpTestMedia.hex("67 42")), List.of(RtpTestMedia.hex("68 ce"))));
            return packetizer.packetize(RtpH264PacketizerTest.frame(false, 0, RtpTestMedia.hex("41 9a")));
        } catch (RtpException e) {
            throw new AssertionError(e);
        }
    }
}
