package io.liveshard.node.qoe;

import io.liveshard.protocol.media.StreamKey;
import java.util.List;
import java.util.Optional;

/**
 * One validated QoE report from the web player ({@code POST /api/v1/qoe}), covering the time since its previous
 * report. Every number is finite, non-negative and within the bounds of {@link QoeBeaconParser}.
 *
 * @param stream         the stream being watched
 * @param session        the player's random session id (one page load), for counting active players
 * @param protocol       the protocol playing when the report was sent
 * @param startup        how the latest start went, only in the first report after a (re)start
 * @param stalls         stalls (the picture froze while playing) since the previous report
 * @param stallSeconds   their total duration
 * @param watchedSeconds time spent playing since the previous report (stalls included), for the stall rate
 * @param latencySeconds end-to-end latency samples (ingest to screen) taken since the previous report
 * @param fallbacks      protocol changes since the previous report
 */
public record QoeBeacon(StreamKey stream, String session, QoeProtocol protocol, Optional<Startup> startup,
                        int stalls, double stallSeconds, double watchedSeconds, List<Double> latencySeconds,
                        List<Fallback> fallbacks) {

    public QoeBeacon {
        latencySeconds = List.copyOf(latencySeconds);
        fallbacks = List.copyOf(fallbacks);
    }

    /**
     * Time to first frame and its phases, each measured from the moment the player started the protocol; a phase
     * the protocol does not have (signalling and connect for HTTP-FLV and HLS) is empty.
     *
     * @param signallingSeconds WHEP offer sent to answer received
     * @param connectSeconds    start to ICE + DTLS connected
     * @param firstPacketSeconds start to the first media bytes
     * @param firstFrameSeconds start to the first frame on screen
     */
    public record Startup(Optional<Double> signallingSeconds, Optional<Double> connectSeconds,
                          Optional<Double> firstPacketSeconds, double firstFrameSeconds) {}

    /** The player left {@code from} for {@code to}. */
    public record Fallback(QoeProtocol from, QoeProtocol to, FallbackReason reason) {}
}
