package io.liveshard.node.qoe;

import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.protocol.media.StreamKey;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The players' QoE reports as Prometheus metrics. Stream labels go through {@link NodeMetrics#labelled}, so they
 * share the node's bound on distinct streams; every other label value comes from a fixed set (protocols, startup
 * phases, fallback reasons).
 */
public final class QoeMetrics {

    /** End-to-end latency buckets in seconds: real time (artc, under a second) up to classic HLS (tens of seconds). */
    private static final double[] LATENCY_BUCKETS = {0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 12, 20, 30};
    /** Startup buckets in seconds: instant start is under half a second. */
    private static final double[] STARTUP_BUCKETS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10};

    private final NodeMetrics metrics;
    private final Histogram latency;
    private final Histogram firstFrame;
    private final Histogram startupPhase;
    private final Counter stalls;
    private final Counter stallSeconds;
    private final Counter watchedSeconds;
    private final Counter fallbacks;
    private final Counter reports;

    public QoeMetrics(NodeMetrics metrics) {
        this.metrics = metrics;
        this.latency = Histogram.builder()
                .name("liveshard_qoe_e2e_latency_seconds")
                .help("End-to-end latency players measured: ingest wall clock (SEI latency stamp) to the frame on screen")
                .labelNames("app", "stream", "protocol")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS)
                .register(metrics.registry());
        this.firstFrame = Histogram.builder()
                .name("liveshard_qoe_first_frame_seconds")
                .help("Players' time from starting a protocol to its first frame on screen")
                .labelNames("app", "stream", "protocol")
                .classicOnly().classicUpperBounds(STARTUP_BUCKETS)
                .register(metrics.registry());
        this.startupPhase = Histogram.builder()
                .name("liveshard_qoe_startup_phase_seconds")
                .help("Players' time from starting a protocol to the end of a startup phase (signalling, connect, "
                        + "first-packet, first-frame), across all streams")
                .labelNames("protocol", "phase")
                .classicOnly().classicUpperBounds(STARTUP_BUCKETS)
                .register(metrics.registry());
        this.stalls = Counter.builder()
                .name("liveshard_qoe_stalls_total")
                .help("Stalls (picture frozen while playing) players reported")
                .labelNames("app", "stream", "protocol")
                .register(metrics.registry());
        this.stallSeconds = Counter.builder()
                .name("liveshard_qoe_stall_seconds_total")
                .help("Time players reported spending stalled")
                .labelNames("app", "stream", "protocol")
                .register(metrics.registry());
        this.watchedSeconds = Counter.builder()
                .name("liveshard_qoe_watched_seconds_total")
                .help("Time players reported playing, stalls included (stall rate = stall seconds / watched seconds)")
                .labelNames("app", "stream", "protocol")
                .register(metrics.registry());
        this.fallbacks = Counter.builder()
                .name("liveshard_qoe_fallbacks_total")
                .help("Players leaving a protocol for the next one, by the protocol left and why")
                .labelNames("app", "stream", "from", "reason")
                .register(metrics.registry());
        this.reports = Counter.builder()
                .name("liveshard_qoe_reports_total")
                .help("QoE reports accepted from players")
                .register(metrics.registry());
    }

    public void record(QoeBeacon beacon) {
        StreamKey key = metrics.labelled(beacon.stream());
        String protocol = beacon.protocol().code();
        reports.inc();
        beacon.latencySeconds().forEach(latency.labelValues(key.app(), key.stream(), protocol)::observe);
        beacon.startup().ifPresent(startup -> {
            firstFrame.labelValues(key.app(), key.stream(), protocol).observe(startup.firstFrameSeconds());
            startup.signallingSeconds().ifPresent(startupPhase.labelValues(protocol, "signalling")::observe);
            startup.connectSeconds().ifPresent(startupPhase.labelValues(protocol, "connect")::observe);
            startup.firstPacketSeconds().ifPresent(startupPhase.labelValues(protocol, "first-packet")::observe);
            startupPhase.labelValues(protocol, "first-frame").observe(startup.firstFrameSeconds());
        });
        if (beacon.stalls() > 0) {
            stalls.labelValues(key.app(), key.stream(), protocol).inc(beacon.stalls());
        }
        if (beacon.stallSeconds() > 0) {
            stallSeconds.labelValues(key.app(), key.stream(), protocol).inc(beacon.stallSeconds());
        }
        if (beacon.watchedSeconds() > 0) {
            watchedSeconds.labelValues(key.app(), key.stream(), protocol).inc(beacon.watchedSeconds());
        }
        beacon.fallbacks().forEach(fallback -> fallbacks.labelValues(key.app(), key.stream(),
                fallback.from().code(), fallback.reason().code()).inc());
    }
}
