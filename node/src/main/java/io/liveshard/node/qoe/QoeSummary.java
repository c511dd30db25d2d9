package io.liveshard.node.qoe;

import java.util.Map;

/**
 * What players of one stream reported over one protocol, as the JSON API shows it. Percentiles cover the recent
 * window ({@code liveshard.qoe.window}); totals cover the time the node has known the stream. A percentile is null
 * when no sample arrived in the window.
 *
 * @param players          distinct player sessions that reported in the window
 * @param reports          reports accepted
 * @param latencySamples   end-to-end latency samples in the window
 * @param e2eLatencyP50Ms  median end-to-end latency (ingest to screen), milliseconds
 * @param e2eLatencyP90Ms  90th percentile
 * @param e2eLatencyP95Ms  95th percentile
 * @param e2eLatencyP99Ms  99th percentile
 * @param firstFrameP50Ms  median time to first frame of the starts in the window
 * @param stalls           stalls reported
 * @param stallSeconds     time spent stalled
 * @param watchedSeconds   time players reported playing (stalls included)
 * @param stallPercent     the stall rate: stalled time in percent of watched time; null before any watched time
 * @param fallbacksByReason players that left this protocol, by reason
 */
public record QoeSummary(int players, long reports, int latencySamples, Double e2eLatencyP50Ms,
                         Double e2eLatencyP90Ms, Double e2eLatencyP95Ms, Double e2eLatencyP99Ms,
                         Double firstFrameP50Ms, long stalls, double stallSeconds, double watchedSeconds,
                         Double stallPercent, Map<String, Long> fallbacksByReason) {
}
