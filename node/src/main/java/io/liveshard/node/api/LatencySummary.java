package io.liveshard.node.api;

/**
 * The node's own latency for one stream and protocol (ingest to socket hand-off, from
 * {@code liveshard_server_latency_seconds}) over the recent window. Percentiles are interpolated within the
 * histogram's buckets, so they are as fine as the buckets (0.5 ms steps below 3 ms, coarser above).
 *
 * @param frames frames sent in the window (for RTMP and HTTP-FLV audiences beyond a stream's first viewers, an
 *               estimate from sampled batches: {@code liveshard.metrics.server-latency})
 * @param p50Ms  median, milliseconds
 * @param p90Ms  90th percentile
 * @param p99Ms  99th percentile
 */
public record LatencySummary(long frames, double p50Ms, double p90Ms, double p99Ms) {
}
