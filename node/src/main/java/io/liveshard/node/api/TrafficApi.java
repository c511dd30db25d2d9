package io.liveshard.node.api;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.metrics.TrafficMeter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code GET /api/v1/traffic[?minutes=60]}: what this node delivered, for billing by traffic or by peak bandwidth —
 * per stream and protocol (bytes, peak one-minute Mbit/s, and the one-minute buckets), and per app and protocol
 * (bytes, and the peak of the summed minutes). At most the last 24 hours; the current minute is still filling.
 */
public final class TrafficApi {

    /** One stream over one protocol. */
    public record StreamTraffic(String app, String stream, String protocol, long bytes, double peakMbps,
                                List<TrafficMeter.Minute> minutes) {}

    /** One app over one protocol: its streams' minutes added up. */
    public record AppTraffic(String app, String protocol, long bytes, double peakMbps) {}

    public record TrafficView(int minutes, long nowMillis, List<StreamTraffic> streams, List<AppTraffic> apps) {}

    private final TrafficMeter meter;

    public TrafficApi(TrafficMeter meter) {
        this.meter = meter;
    }

    public HttpResponse traffic(Optional<String> minutesText) {
        int minutes = 60;
        if (minutesText.isPresent()) {
            try {
                minutes = Integer.parseInt(minutesText.get());
            } catch (NumberFormatException e) {
                minutes = -1;
            }
            if (minutes < 1 || minutes > TrafficMeter.MINUTES) {
                return HttpResponses.text(StatusCodes.BAD_REQUEST,
                        "minutes must be a whole number from 1 to " + TrafficMeter.MINUTES);
            }
        }
        long now = System.currentTimeMillis();
        List<StreamTraffic> streams = new ArrayList<>();
        Map<String, Map<Long, Long>> appMinutes = new TreeMap<>();
        for (TrafficMeter.Usage usage : meter.usage(now, minutes)) {
            streams.add(new StreamTraffic(usage.key().app(), usage.key().stream(), usage.protocol(), usage.bytes(),
                    round(usage.peakMbps()), usage.minutes()));
            Map<Long, Long> summed = appMinutes.computeIfAbsent(usage.key().app() + "\n" + usage.protocol(),
                    k -> new TreeMap<>());
            for (TrafficMeter.Minute minute : usage.minutes()) {
                summed.merge(minute.startMillis(), minute.bytes(), Long::sum);
            }
        }
        streams.sort(Comparator.comparing(StreamTraffic::app).thenComparing(StreamTraffic::stream)
                .thenComparing(StreamTraffic::protocol));
        List<AppTraffic> apps = new ArrayList<>();
        appMinutes.forEach((appAndProtocol, byMinute) -> {
            String[] parts = appAndProtocol.split("\n", 2);
            long bytes = byMinute.values().stream().mapToLong(Long::longValue).sum();
            long peakMinuteBytes = byMinute.values().stream().mapToLong(Long::longValue).max().orElse(0);
            apps.add(new AppTraffic(parts[0], parts[1], bytes, round(TrafficMeter.mbps(peakMinuteBytes))));
        });
        return ApiJson.ok(new TrafficView(minutes, now, streams, apps));
    }

    private static double round(double mbps) {
        return Math.round(mbps * 1000) / 1000.0;
    }
}
