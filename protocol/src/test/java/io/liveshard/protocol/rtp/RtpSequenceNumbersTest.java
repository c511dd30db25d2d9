package io.liveshard.protocol.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtpSequenceNumbersTest {

    @ParameterizedTest(name = "distance({0} -> {1}) = {2}")
    @CsvSource({
        "0, 0, 0",
        "0, 1, 1",
        "1, 0, -1",
        "65535, 0, 1",
        "0, 65535, -1",
        "65530, 2, 8",
        "2, 65530, -8",
        "0, 32767, 32767",
        "0, 32768, -32768",
        "32768, 0, -32768",
        "100, 32000, 31900",
        "100, 33000, -32636",
        "40000, 7000, 32536",
    })
    void distanceTakesTheShorterWayRound(int from, int to, int expected) {
        assertEquals(expected, RtpSequenceNumbers.distance(from, to));
        assertEquals(expected > 0, RtpSequenceNumbers.isNewer(to, from));
        assertEquals(Integer.signum(expected), RtpSequenceNumbers.compare(to, from));
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource({"0, 1, 1", "65535, 1, 0", "0, -1, 65535", "65000, 1000, 464", "5, 65536, 5"})
    void additionWraps(int sequence, int delta, int expected) {
        assertEquals(expected, RtpSequenceNumbers.add(sequence, delta));
    }

    @Test
    void nextWrapsAfter65535() {
        assertEquals(1, RtpSequenceNumbers.next(0));
        assertEquals(0, RtpSequenceNumbers.next(65535));
    }

    @Test
    void sortingWithCompareOrdersAcrossTheWrap() {
        Integer[] sequences = {2, 65534, 0, 65535, 1};
        Arrays.sort(sequences, RtpSequenceNumbers::compare);
        assertEquals(List.of(65534, 65535, 0, 1, 2), List.of(sequences));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "in order                 | 10 11 12                    | 10 11 12",
        "across one wrap          | 65534 65535 0 1             | 65534 65535 65536 65537",
        "reordered across a wrap  | 65535 1 0 2                 | 65535 65537 65536 65538",
        "late packet before first | 2 65530                     | 2 -6",
        "duplicate                | 7 7                         | 7 7",
        "two wraps                | 0 30000 60000 24464 54464 18928 | 0 30000 60000 90000 120000 150000",
        "big jump back            | 100 99 40000                | 100 99 -25536",
    })
    void extendedSequenceNumbersCountCycles(String name, String input, String expected) {
        RtpSequenceUnwrapper unwrapper = new RtpSequenceUnwrapper();
        long[] extended = Arrays.stream(input.trim().split(" +")).mapToInt(Integer::parseInt)
                .mapToLong(unwrapper::extend).toArray();
        assertEquals(expected.trim(), String.join(" ", Arrays.stream(extended).mapToObj(Long::toString).toList()));
    }

    @Test
    void theUnwrapperTracksTheHighestAndRefusesNonSequenceNumbers() {
        RtpSequenceUnwrapper unwrapper = new RtpSequenceUnwrapper();
        assertEquals(-1, unwrapper.highest());
        unwrapper.extend(65535);
        unwrapper.extend(3);
        unwrapper.extend(1);
        assertEquals(65539, unwrapper.highest());
        assertThrows(IllegalArgumentException.class, () -> unwrapper.extend(65536));
        assertThrows(IllegalArgumentException.class, () -> unwrapper.extend(-1));
    }

    @ParameterizedTest(name = "{0} ms at {1} Hz = {2}")
    @CsvSource({
        "0, 90000, 0",
        "1, 48000, 48",
        "20, 48000, 960",
        "89478485, 48000, 4294967280",
        "89478486, 48000, 32",
        "-20, 48000, 4294966336",
    })
    void millisecondsBecomeWrappedTimestamps(long millis, int clockRate, long expected) {
        assertEquals(expected, RtpTimestamps.fromMillis(millis, clockRate));
    }

    @ParameterizedTest(name = "{0} + {1} ns at {2} Hz = {3}")
    @CsvSource({
        "0, 1000000000, 90000, 90000",
        "4294967000, 10000000, 90000, 604",
        "100, 86400000000000, 90000, 3481032804",
        "100, -1000000, 48000, 52",
    })
    void timestampsAdvanceWithElapsedTime(long timestamp, long nanos, int clockRate, long expected) {
        assertEquals(expected, RtpTimestamps.advance(timestamp, nanos, clockRate));
    }
}
