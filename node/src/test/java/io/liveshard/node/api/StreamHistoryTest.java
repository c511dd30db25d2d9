package io.liveshard.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.qoe.QoeSummary;
import io.liveshard.protocol.media.StreamKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamHistoryTest {

    private static final long INTERVAL = 2000;

    private static StreamView view(String stream, Map<String, Integer> viewers, Map<String, LatencySummary> server,
                                   Map<String, QoeSummary> qoe) {
        return new StreamView("live", stream, true, true, "127.0.0.1:5000", "H264", "AAC", null, 0, 0, viewers,
                server, qoe, 0);
    }

    private static QoeSummary qoe(Double e2eP50) {
        return new QoeSummary(1, 1, 1, e2eP50, null, null, null, null, 0, 0, 0, null, Map.of());
    }

    @Test
    void aSampleSumsViewersTakesTheWorstServerP99AndTheBestPlayerP50() {
        StreamHistory history = new StreamHistory(INTERVAL, 10);
        history.record(new StreamApi.StreamList(1_000, List.of(view("a",
                Map.of("rtmp", 1, "http-flv", 2, "artc", 3),
                Map.of("rtmp", new LatencySummary(10, 1, 2, 3.5), "artc", new LatencySummary(10, 1, 2, 4.5)),
                Map.of("artc", qoe(250.0), "http-flv", qoe(900.0), "ll-hls", qoe(null))))));
        StreamHistory.Point point = history.history(new StreamKey("live", "a")).orElseThrow().points().get(0);
        assertEquals(new StreamHistory.Point(1_000, 6, 4.5, 250.0), point);

        history.record(new StreamApi.StreamList(3_000, List.of(view("a", Map.of(), Map.of(), Map.of()))));
        StreamHistory.Point unmeasured = history.history(new StreamKey("live", "a")).orElseThrow().points().get(1);
        assertEquals(0, unmeasured.viewers());
        assertNull(unmeasured.serverLatencyP99Ms(), "no latency measured is null, not 0");
        assertNull(unmeasured.e2eLatencyP50Ms());
    }

    @Test
    void aStreamKeepsItsLastSamplesOnlyOldestFirst() {
        StreamHistory history = new StreamHistory(INTERVAL, 10);
        int samples = StreamHistory.POINTS + 50;
        for (int i = 0; i < samples; i++) {
            history.record(new StreamApi.StreamList(i * INTERVAL, List.of(view("a", Map.of("rtmp", i), Map.of(),
                    Map.of()))));
        }
        List<StreamHistory.Point> points = history.history(new StreamKey("live", "a")).orElseThrow().points();
        assertEquals(StreamHistory.POINTS, points.size());
        assertEquals(50, points.get(0).viewers());
        assertEquals(samples - 1, points.get(points.size() - 1).viewers());
        for (int i = 1; i < points.size(); i++) {
            assertTrue(points.get(i).timeMillis() > points.get(i - 1).timeMillis());
        }
    }

    @Test
    void streamsAreBoundedAndAStreamGoneForTheWholeSpanIsForgotten() {
        StreamHistory history = new StreamHistory(INTERVAL, 2);
        history.record(new StreamApi.StreamList(0, List.of(view("a", Map.of(), Map.of(), Map.of()),
                view("b", Map.of(), Map.of(), Map.of()), view("c", Map.of(), Map.of(), Map.of()))));
        assertTrue(history.history(new StreamKey("live", "a")).isPresent());
        assertTrue(history.history(new StreamKey("live", "b")).isPresent());
        assertTrue(history.history(new StreamKey("live", "c")).isEmpty(), "over the limit: not kept");

        long span = StreamHistory.POINTS * INTERVAL;
        history.record(new StreamApi.StreamList(span - 1, List.of(view("b", Map.of(), Map.of(), Map.of()))));
        assertTrue(history.history(new StreamKey("live", "a")).isPresent(), "gone for less than the span");
        history.record(new StreamApi.StreamList(span + 1, List.of(view("b", Map.of(), Map.of(), Map.of()),
                view("c", Map.of(), Map.of(), Map.of()))));
        assertTrue(history.history(new StreamKey("live", "a")).isEmpty(), "gone for the whole span");
        assertTrue(history.history(new StreamKey("live", "c")).isPresent(), "its place went to another stream");
    }
}
