package io.liveshard.node.metrics;

import io.liveshard.protocol.media.StreamKey;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's Prometheus metrics, served at {@code GET /metrics} in the text format. Per-stream labels are bounded:
 * after {@code maxStreams} distinct streams, further streams are counted under {@code app="_other",
 * stream="_other"}, so a flood of stream names cannot grow the metrics without limit.
 */
public final class NodeMetrics {

    /** Label values for streams past the cardinality limit. */
    public static final String OTHER = "_other";
    /**
     * Buckets of the server latency histogram, in seconds: fine below 10 ms (the real-time budget; one per
     * millisecond up to 5 ms, so that "p99 under 5 ms" can be told from "p99 at 5 ms"), coarse above (a viewer
     * behind a slow network).
     */
    private static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.02,
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final int maxStreams;
    private final Set<StreamKey> labelledStreams = ConcurrentHashMap.newKeySet();
    /** Viewers per stream, protocol and node whose every frame is recorded, unless configured otherwise. */
    public static final int EXACT_LATENCY_VIEWERS = 16;
    /** How many drains share one recorded drain for the viewers beyond those, unless configured otherwise. */
    public static final int LATENCY_SAMPLE_EVERY_DRAINS = 32;

    private final ServerLatencyHistogram serverLatency;
    private final Counter framesDropped;
    private final Counter refusals;
    private final TrafficMeter traffic;

    public NodeMetrics(int maxStreams) {
        this(maxStreams, EXACT_LATENCY_VIEWERS, LATENCY_SAMPLE_EVERY_DRAINS);
    }

    /**
     * @param exactLatencyViewers      viewers per stream, protocol and node whose every frame is recorded in the
     *                                 server latency histogram
     * @param latencySampleEveryDrains for the viewers beyond those, how many of their queue's drains share one
     *                                 recorded drain (its frames weighted by that number)
     */
    public NodeMetrics(int maxStreams, int exactLatencyViewers, int latencySampleEveryDrains) {
        this.maxStreams = maxStreams;
        this.serverLatency = new ServerLatencyHistogram(LATENCY_BUCKETS, exactLatencyViewers,
                latencySampleEveryDrains);
        registry.register(serverLatency);
        this.framesDropped = Counter.builder()
                .name("liveshard_viewer_frames_dropped_total")
                .help("Frames viewers lost to the slow-consumer policy")
                .labelNames("protocol")
                .register(registry);
        // At 0 from the start, so that the series exist (and rate() works) before the first drop.
        for (String protocol : List.of("rtmp", "http-flv")) {
            framesDropped.labelValues(protocol);
        }
        this.refusals = Counter.builder()
                .name("liveshard_refusals_total")
                .help("Connections and requests refused, by protocol and reason")
                .labelNames("protocol", "reason")
                .register(registry);
        this.traffic = new TrafficMeter(this, Counter.builder()
                .name("liveshard_bytes_sent_total")
                .help("Bytes delivered to viewers, by stream and protocol (settled once a second)")
                .labelNames("app", "stream", "protocol")
                .register(registry));
    }

    /** Bytes delivered per stream and protocol, in one-minute buckets for billing. */
    public TrafficMeter traffic() {
        return traffic;
    }

    /** A recorder for one viewer of {@code key} over {@code protocol}, joining now. */
    public LatencyRecorder latency(StreamKey key, String protocol) {
        StreamKey labelled = labels(key);
        return serverLatency.recorder(labelled.app(), labelled.stream(), protocol, System.nanoTime());
    }

    public void framesDropped(String protocol, long frames) {
        if (frames > 0) {
            framesDropped.labelValues(protocol).inc(frames);
        }
    }

    /** Counts a refusal; {@code reason} must come from a fixed set of words, never from client input. */
    public void refused(String protocol, String reason) {
        refusals.labelValues(protocol, reason).inc();
    }

    /**
     * The server latency histogram's current data points (cumulative since the node started), for the JSON API's
     * percentiles.
     */
    public HistogramSnapshot serverLatencySnapshot() {
        return serverLatency.collect();
    }

    /** The registry, for metric families defined next to the feature they measure (e.g. player QoE). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * The label values {@code key} is counted under: itself while fewer than {@code maxStreams} streams have label
     * values, {@code _other/_other} afterwards.
     */
    public StreamKey labelled(StreamKey key) {
        return labels(key);
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public void writeText(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    private StreamKey labels(StreamKey key) {
        if (labelledStreams.contains(key)) {
            return key;
        }
        if (labelledStreams.size() < maxStreams) {
            labelledStreams.add(key);
            return key;
        }
        return new StreamKey(OTHER, OTHER);
    }
}
