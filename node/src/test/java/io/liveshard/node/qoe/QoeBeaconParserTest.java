package io.liveshard.node.qoe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.StreamKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QoeBeaconParserTest {

    private static final String VALID = """
            {"app":"live","stream":"cam1","session":"a1b2c3","protocol":"artc",
             "startup":{"signallingMs":12.5,"connectMs":80,"firstPacketMs":95,"firstFrameMs":140},
             "stalls":{"count":2,"durationMs":750},
             "watchedMs":5000,
             "e2eLatencyMs":[180,220.5,300],
             "fallbacks":[{"from":"artc","to":"http-flv","reason":"signalling"}],
             "fromANewerPlayer":{"ignored":true}}
            """;

    private static QoeBeacon parse(String json) throws QoeBeaconException {
        return QoeBeaconParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFullReportIsReadInSeconds() throws Exception {
        QoeBeacon beacon = parse(VALID);
        assertEquals(new StreamKey("live", "cam1"), beacon.stream());
        assertEquals("a1b2c3", beacon.session());
        assertEquals(QoeProtocol.ARTC, beacon.protocol());
        QoeBeacon.Startup startup = beacon.startup().orElseThrow();
        assertEquals(0.0125, startup.signallingSeconds().orElseThrow(), 1e-9);
        assertEquals(0.14, startup.firstFrameSeconds(), 1e-9);
        assertEquals(2, beacon.stalls());
        assertEquals(0.75, beacon.stallSeconds(), 1e-9);
        assertEquals(5.0, beacon.watchedSeconds(), 1e-9);
        assertEquals(List.of(0.18, 0.2205, 0.3), beacon.latencySeconds());
        assertEquals(List.of(new QoeBeacon.Fallback(QoeProtocol.ARTC, QoeProtocol.HTTP_FLV,
                FallbackReason.SIGNALLING)), beacon.fallbacks());
    }

    @Test
    void aMinimalReportHasNoStartupNoSamples() throws Exception {
        QoeBeacon beacon = parse("{\"app\":\"live\",\"stream\":\"s\",\"session\":\"x\",\"protocol\":\"ll-hls\"}");
        assertTrue(beacon.startup().isEmpty());
        assertTrue(beacon.latencySeconds().isEmpty());
        assertEquals(0, beacon.stalls());
        assertEquals(0, beacon.watchedSeconds());
    }

    @Test
    void hugeDurationsAndCountsAreClampedNotTrusted() throws Exception {
        QoeBeacon beacon = parse("{\"app\":\"live\",\"stream\":\"s\",\"session\":\"x\",\"protocol\":\"hls\","
                + "\"stalls\":{\"count\":99999999,\"durationMs\":1e12},\"e2eLatencyMs\":[1e9],\"watchedMs\":1e15,"
                + "\"startup\":{\"firstFrameMs\":86400000}}");
        assertEquals(QoeBeaconParser.MAX_STALLS, beacon.stalls());
        assertEquals(QoeBeaconParser.MAX_SECONDS, beacon.stallSeconds());
        assertEquals(QoeBeaconParser.MAX_SECONDS, beacon.watchedSeconds());
        assertEquals(List.of(QoeBeaconParser.MAX_SECONDS), beacon.latencySeconds());
        assertEquals(QoeBeaconParser.MAX_SECONDS, beacon.startup().orElseThrow().firstFrameSeconds());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                 | {"app":
            an array                 | [1,2]
            trailing garbage         | {"app":"live","stream":"s","session":"x","protocol":"artc"} {}
            NaN latency              | {"app":"live","stream":"s","session":"x","protocol":"artc","e2eLatencyMs":[NaN]}
            Infinity as a number     | {"app":"live","stream":"s","session":"x","protocol":"artc","e2eLatencyMs":[1e999]}
            negative latency         | {"app":"live","stream":"s","session":"x","protocol":"artc","e2eLatencyMs":[-5]}
            latency as a string      | {"app":"live","stream":"s","session":"x","protocol":"artc","e2eLatencyMs":["5"]}
            latency not an array     | {"app":"live","stream":"s","session":"x","protocol":"artc","e2eLatencyMs":5}
            negative watched time    | {"app":"live","stream":"s","session":"x","protocol":"artc","watchedMs":-1}
            watched time as a string | {"app":"live","stream":"s","session":"x","protocol":"artc","watchedMs":"5000"}
            negative stall count     | {"app":"live","stream":"s","session":"x","protocol":"artc","stalls":{"count":-1}}
            fractional stall count   | {"app":"live","stream":"s","session":"x","protocol":"artc","stalls":{"count":1.5}}
            negative startup         | {"app":"live","stream":"s","session":"x","protocol":"artc","startup":{"firstFrameMs":-1}}
            startup without frame    | {"app":"live","stream":"s","session":"x","protocol":"artc","startup":{"connectMs":1}}
            unknown protocol         | {"app":"live","stream":"s","session":"x","protocol":"quic"}
            protocol as a number     | {"app":"live","stream":"s","session":"x","protocol":1}
            missing stream           | {"app":"live","session":"x","protocol":"artc"}
            path traversal name      | {"app":"..","stream":"s","session":"x","protocol":"artc"}
            name with a quote        | {"app":"live","stream":"s\\"}","session":"x","protocol":"artc"}
            bad session id           | {"app":"live","stream":"s","session":"<script>","protocol":"artc"}
            unknown fallback reason  | {"app":"live","stream":"s","session":"x","protocol":"hls","fallbacks":[{"from":"artc","to":"hls","reason":"because"}]}
            deep nesting             | {"app":"live","stream":"s","session":"x","protocol":"artc","x":[[[[[[[[[[1]]]]]]]]]]}
            """)
    void refused(String name, String json) {
        QoeBeaconException refusal = assertThrows(QoeBeaconException.class, () -> parse(json));
        assertTrue(refusal.getMessage().length() < 300, refusal.getMessage());
    }

    @Test
    void tooManySamplesOrFallbacksAreRefused() {
        StringBuilder samples = new StringBuilder();
        for (int i = 0; i <= QoeBeaconParser.MAX_LATENCY_SAMPLES; i++) {
            samples.append(i == 0 ? "" : ",").append(100);
        }
        assertThrows(QoeBeaconException.class, () -> parse("{\"app\":\"live\",\"stream\":\"s\",\"session\":\"x\","
                + "\"protocol\":\"artc\",\"e2eLatencyMs\":[" + samples + "]}"));
        String fallback = "{\"from\":\"artc\",\"to\":\"hls\",\"reason\":\"no-media\"}";
        String fallbacks = String.join(",", java.util.Collections.nCopies(QoeBeaconParser.MAX_FALLBACKS + 1, fallback));
        assertThrows(QoeBeaconException.class, () -> parse("{\"app\":\"live\",\"stream\":\"s\",\"session\":\"x\","
                + "\"protocol\":\"artc\",\"fallbacks\":[" + fallbacks + "]}"));
    }
}
