package io.liveshard.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.StreamKey;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficMeterTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = 1_800_000_000_000L / MINUTE * MINUTE;
    private static final StreamKey CAM = new StreamKey("live", "cam");

    @Test
    void bytesLandInTheMinuteTheyWereSettledIn() {
        NodeMetrics metrics = new NodeMetrics(10);
        TrafficMeter meter = metrics.traffic();
        TrafficMeter.Series flv = meter.series(CAM, "http-flv");
        flv.sent(1000);
        meter.tick(T0 + 1000);
        flv.sent(2000);
        meter.tick(T0 + 30_000);
        flv.sent(500);
        meter.tick(T0 + MINUTE + 1000);

        List<TrafficMeter.Usage> usage = meter.usage(T0 + MINUTE + 2000, 60);
        assertEquals(1, usage.size());
        TrafficMeter.Usage cam = usage.get(0);
        assertEquals("http-flv", cam.protocol());
        assertEquals(List.of(new TrafficMeter.Minute(T0, 3000), new TrafficMeter.Minute(T0 + MINUTE, 500)),
                cam.minutes());
        assertEquals(3500, cam.bytes());
        assertEquals(3000 * 8 / 60.0 / 1e6, cam.peakMbps(), 1e-12);
        assertEquals(1, meter.usage(T0 + MINUTE + 2000, 1).get(0).minutes().size(), "only the last minute");
    }

    @Test
    void aDayLaterTheOldMinutesAreGone() {
        TrafficMeter meter = new NodeMetrics(10).traffic();
        TrafficMeter.Series rtmp = meter.series(CAM, "rtmp");
        rtmp.sent(100);
        meter.tick(T0);
        long dayLater = T0 + TrafficMeter.MINUTES * MINUTE;
        rtmp.sent(7);
        meter.tick(dayLater);
        List<TrafficMeter.Usage> usage = meter.usage(dayLater, TrafficMeter.MINUTES);
        assertEquals(List.of(new TrafficMeter.Minute(dayLater, 7)), usage.get(0).minutes(),
                "the slot of the same minute a day ago is reused, not added to");
    }

    @Test
    void streamsBeyondTheLabelBoundShareOneSeriesAndTheCounterShowsInMetrics() throws Exception {
        NodeMetrics metrics = new NodeMetrics(1);
        TrafficMeter meter = metrics.traffic();
        meter.series(CAM, "hls").sent(10);
        meter.series(new StreamKey("live", "b"), "hls").sent(20);
        meter.series(new StreamKey("live", "c"), "hls").sent(30);
        meter.tick(T0);
        List<TrafficMeter.Usage> usage = meter.usage(T0, 1);
        assertEquals(2, usage.size(), "live/cam and one shared series for the rest");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        metrics.writeText(text);
        String exposition = text.toString();
        assertTrue(exposition.contains(
                "liveshard_bytes_sent_total{app=\"_other\",protocol=\"hls\",stream=\"_other\"} 50.0"), exposition);
        assertTrue(exposition.contains(
                "liveshard_bytes_sent_total{app=\"live\",protocol=\"hls\",stream=\"cam\"} 10.0"), exposition);
    }
}
