package io.liveshard.node.api;

import io.liveshard.node.qoe.QoeSummary;
import java.util.Map;

/**
 * A stream as the HTTP API shows it ({@code GET /api/v1/streams/{app}/{stream}}).
 *
 * @param app        the app part of the name
 * @param stream     the stream part of the name
 * @param live       a publisher is connected or the grace period after it left is running
 * @param publishing a publisher is connected
 * @param publisher  the publisher's address, or null
 * @param videoCodec the video codec, or null
 * @param audioCodec the audio codec, or null
 * @param video      the video's resolution and frame rate as its SPS declares them (H.264), or null
 * @param framesIn   frames received since the stream's entity started
 * @param bytesIn    bytes of media received
 * @param viewers    viewers by protocol: attached RTMP and HTTP-FLV viewers, and HLS/LL-HLS clients seen recently
 * @param serverLatency the node's own latency (ingest to socket) by protocol over the last seconds
 * @param qoe        what web players reported by protocol: end-to-end latency, startup, stalls, fallbacks
 */
public record StreamView(String app, String stream, boolean live, boolean publishing, String publisher,
                         String videoCodec, String audioCodec, VideoFormat video, long framesIn, long bytesIn,
                         Map<String, Integer> viewers, Map<String, LatencySummary> serverLatency,
                         Map<String, QoeSummary> qoe, long liveSinceMillis) {
}
