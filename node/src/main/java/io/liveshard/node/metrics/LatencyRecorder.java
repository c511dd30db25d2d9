package io.liveshard.node.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.liveshard.protocol.media.MediaFrame;

/**
 * Records, for one viewer, how long each frame spent in the node: from the moment its last byte was received from
 * the publisher to the moment the viewer's egress handed it to the socket. Frames the viewer got from the GOP cache
 * when it joined were received before it was there, so they are not counted: they measure the GOP, not the node.
 */
public final class LatencyRecorder {

    private static final double NANOS_PER_SECOND = 1e9;

    private final DistributionDataPoint histogram;
    private final long sinceNanos;

    LatencyRecorder(DistributionDataPoint histogram, long sinceNanos) {
        this.histogram = histogram;
        this.sinceNanos = sinceNanos;
    }

    /** Records a media frame being sent now; codec configs and metadata are skipped. */
    public void sent(MediaFrame frame, long nowNanos) {
        if (!frame.config()) {
            sent(frame.ingestNanos(), nowNanos);
        }
    }

    /** Records media received at {@code ingestNanos} being sent now (HLS: the newest frame of a part or segment). */
    public void sent(long ingestNanos, long nowNanos) {
        if (ingestNanos < sinceNanos || ingestNanos == 0) {
            return;
        }
        histogram.observe((nowNanos - ingestNanos) / NANOS_PER_SECOND);
    }
}
