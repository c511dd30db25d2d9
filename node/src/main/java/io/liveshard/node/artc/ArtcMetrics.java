package io.liveshard.node.artc;

import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.metrics.TrafficMeter;
import io.liveshard.protocol.media.StreamKey;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * artc's Prometheus metrics, per stream (never per session; streams past the node's label limit share
 * {@code _other}): what was sent, what viewers asked to repair, and what their receiver reports say. Sessions count
 * in plain fields and hand the increase over about once a second ({@link Session#flush}), so the send path never
 * touches a metric.
 */
final class ArtcMetrics {

    /** Round-trip buckets in seconds: LAN, same region, across a continent, across the world, a bad mobile link. */
    private static final double[] ROUND_TRIP_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 1};
    /** Interarrival jitter buckets in seconds: a quiet LAN, Wi-Fi, a busy mobile link, a link about to freeze. */
    private static final double[] JITTER_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2};

    private final NodeMetrics metrics;
    private final Counter packets;
    private final Counter bytes;
    private final Counter nacked;
    private final Counter keyframeRequests;
    private final Counter reportedLost;
    private final Histogram roundTrip;
    private final Histogram jitter;

    ArtcMetrics(NodeMetrics metrics, ArtcTransport transport) {
        this.metrics = metrics;
        CounterWithCallback.builder().name("liveshard_artc_dropped_datagrams")
                .help("Datagrams the artc port dropped, by reason: received and not-for-a-session (no ICE check from "
                        + "the sender yet, or not STUN/DTLS/SRTCP), malformed-stun or unknown-username; socket: could "
                        + "not be sent (send backlog full) or received")
                .labelNames("reason")
                .callback(callback -> {
                    for (ArtcDrops.Reason reason : ArtcDrops.Reason.values()) {
                        callback.call(transport.drops(reason), reason.label);
                    }
                    callback.call(transport.socketDrops(), "socket");
                })
                .register(metrics.registry());
        this.packets = Counter.builder().name("liveshard_artc_packets_sent_total")
                .help("RTP packets sent to artc viewers, by kind: video, audio, retransmission (RTX or repeated)")
                .labelNames("app", "stream", "kind").register(metrics.registry());
        this.bytes = Counter.builder().name("liveshard_artc_bytes_sent_total")
                .help("SRTP and SRTCP bytes sent to artc viewers").labelNames("app", "stream")
                .register(metrics.registry());
        this.nacked = Counter.builder().name("liveshard_artc_nacked_packets_total")
                .help("Packets artc viewers asked again for with generic NACKs").labelNames("app", "stream")
                .register(metrics.registry());
        this.keyframeRequests = Counter.builder().name("liveshard_artc_keyframe_requests_total")
                .help("PLI and FIR from artc viewers").labelNames("app", "stream").register(metrics.registry());
        this.reportedLost = Counter.builder().name("liveshard_artc_reported_lost_packets_total")
                .help("Packets artc viewers reported lost in their receiver reports (before retransmission)")
                .labelNames("app", "stream").register(metrics.registry());
        this.roundTrip = Histogram.builder().name("liveshard_artc_round_trip_seconds")
                .help("Round trip to artc viewers, from their receiver reports").labelNames("app", "stream")
                .classicOnly().classicUpperBounds(ROUND_TRIP_BUCKETS).register(metrics.registry());
        this.jitter = Histogram.builder().name("liveshard_artc_jitter_seconds")
                .help("Interarrival jitter artc viewers report in their receiver reports, by kind: video, audio")
                .labelNames("app", "stream", "kind")
                .classicOnly().classicUpperBounds(JITTER_BUCKETS).register(metrics.registry());
    }

    /** A viewer refused after its offer was answered (see {@link NodeMetrics#refused}). */
    void refused(String reason) {
        metrics.refused("artc", reason);
    }

    /** The counters of one session of {@code key}. */
    Session session(StreamKey key) {
        StreamKey labels = metrics.labelled(key);
        return new Session(packets.labelValues(labels.app(), labels.stream(), "video"),
                packets.labelValues(labels.app(), labels.stream(), "audio"),
                packets.labelValues(labels.app(), labels.stream(), "retransmission"),
                bytes.labelValues(labels.app(), labels.stream()), nacked.labelValues(labels.app(), labels.stream()),
                keyframeRequests.labelValues(labels.app(), labels.stream()),
                reportedLost.labelValues(labels.app(), labels.stream()),
                roundTrip.labelValues(labels.app(), labels.stream()),
                jitter.labelValues(labels.app(), labels.stream(), "video"),
                jitter.labelValues(labels.app(), labels.stream(), "audio"), metrics.traffic().series(key, "artc"));
    }

    /** One session's share of its stream's metrics; the totals it was given are turned into increases. */
    static final class Session {
        private final CounterDataPoint video;
        private final CounterDataPoint audio;
        private final CounterDataPoint retransmission;
        private final CounterDataPoint bytes;
        private final CounterDataPoint nacked;
        private final CounterDataPoint keyframeRequests;
        private final CounterDataPoint reportedLost;
        private final DistributionDataPoint roundTrip;
        private final DistributionDataPoint videoJitter;
        private final DistributionDataPoint audioJitter;
        private final TrafficMeter.Series traffic;
        private final long[] flushed = new long[Totals.COUNT];

        private Session(CounterDataPoint video, CounterDataPoint audio, CounterDataPoint retransmission,
                        CounterDataPoint bytes, CounterDataPoint nacked, CounterDataPoint keyframeRequests,
                        CounterDataPoint reportedLost, DistributionDataPoint roundTrip,
                        DistributionDataPoint videoJitter, DistributionDataPoint audioJitter,
                        TrafficMeter.Series traffic) {
            this.traffic = traffic;
            this.videoJitter = videoJitter;
            this.audioJitter = audioJitter;
            this.video = video;
            this.audio = audio;
            this.retransmission = retransmission;
            this.bytes = bytes;
            this.nacked = nacked;
            this.keyframeRequests = keyframeRequests;
            this.reportedLost = reportedLost;
            this.roundTrip = roundTrip;
        }

        /** Adds what grew since the last flush; from one thread at a time. */
        synchronized void flush(Totals totals) {
            add(video, 0, totals.videoPackets());
            add(audio, 1, totals.audioPackets());
            add(retransmission, 2, totals.retransmittedPackets());
            if (totals.bytes() > flushed[3]) {
                traffic.sent(totals.bytes() - flushed[3]);
            }
            add(bytes, 3, totals.bytes());
            add(nacked, 4, totals.nackedPackets());
            add(keyframeRequests, 5, totals.keyframeRequests());
            add(reportedLost, 6, totals.reportedLost());
        }

        void roundTrip(long micros) {
            roundTrip.observe(micros / 1e6);
        }

        /** A receiver report's jitter for the video (90 kHz) or audio (Opus, 48 kHz) stream, in seconds. */
        void jitter(boolean video, double seconds) {
            (video ? videoJitter : audioJitter).observe(seconds);
        }

        private void add(CounterDataPoint counter, int index, long total) {
            if (total > flushed[index]) {
                counter.inc(total - flushed[index]);
                flushed[index] = total;
            }
        }
    }

    /** A session's running totals. */
    record Totals(long videoPackets, long audioPackets, long retransmittedPackets, long bytes, long nackedPackets,
                  long keyframeRequests, long reportedLost) {
        static final int COUNT = 7;
    }
}
