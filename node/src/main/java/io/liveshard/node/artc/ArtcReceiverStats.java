package io.liveshard.node.artc;

import io.liveshard.protocol.rtcp.RtcpGenericNack;
import io.liveshard.protocol.rtcp.RtcpPacket;
import io.liveshard.protocol.rtcp.RtcpPictureLossIndication;
import io.liveshard.protocol.rtcp.RtcpReceiverReport;
import io.liveshard.protocol.rtcp.RtcpReportBlock;
import java.util.List;
import java.util.Locale;

/**
 * What an artc viewer says about its reception in RTCP: loss, jitter and round trip from receiver reports, and
 * how often it asked for retransmissions (NACK) or a new picture (PLI). Written on the UDP receive thread, read
 * for logs and stats; round trips go to the stream's histogram as they arrive.
 */
final class ArtcReceiverStats {

    /** RTP clock rates of what artc sends, in which receiver reports give their jitter: H.264, and Opus. */
    private static final int VIDEO_CLOCK_RATE = 90_000;
    private static final int OPUS_CLOCK_RATE = 48_000;

    private final long videoSsrc;
    private final long audioSsrc;
    private final ArtcMetrics.Session metrics;
    private volatile long videoLost;
    private volatile long audioLost;

    private volatile double fractionLost;
    private volatile long cumulativeLost;
    private volatile long jitter;
    private volatile long roundTripMicros = -1;
    private volatile long nackedPackets;
    private volatile long pictureLossIndications;
    private volatile long refusedPackets;

    /** @param audioSsrc the audio SSRC, or -1 without audio */
    ArtcReceiverStats(long videoSsrc, long audioSsrc, ArtcMetrics.Session metrics) {
        this.videoSsrc = videoSsrc;
        this.audioSsrc = audioSsrc;
        this.metrics = metrics;
    }

    void record(List<RtcpPacket> packets, long arrivalCompactNtp) {
        for (RtcpPacket packet : packets) {
            if (packet instanceof RtcpReceiverReport report) {
                for (RtcpReportBlock block : report.reportBlocks()) {
                    fractionLost = block.fractionLostRatio();
                    cumulativeLost = block.cumulativeLost();
                    jitter = block.jitter();
                    long rtt = block.roundTripMicros(arrivalCompactNtp);
                    if (rtt >= 0) {
                        roundTripMicros = rtt;
                        metrics.roundTrip(rtt);
                    }
                    if (block.ssrc() == videoSsrc) {
                        videoLost = Math.max(0, block.cumulativeLost());
                        metrics.jitter(true, block.jitter() / (double) VIDEO_CLOCK_RATE);
                    } else if (block.ssrc() == audioSsrc) {
                        audioLost = Math.max(0, block.cumulativeLost());
                        metrics.jitter(false, block.jitter() / (double) OPUS_CLOCK_RATE);
                    }
                }
            } else if (packet instanceof RtcpGenericNack nack) {
                nackedPackets += nack.lostSequenceNumbers().length;
            } else if (packet instanceof RtcpPictureLossIndication) {
                pictureLossIndications++;
            }
        }
    }

    /** An SRTCP packet that did not authenticate or parse. */
    void refused() {
        refusedPackets++;
    }

    long pictureLossIndications() {
        return pictureLossIndications;
    }

    /** Packets the viewer reports lost on the video and audio SSRCs, before any retransmission repaired them. */
    long reportedLost() {
        return videoLost + audioLost;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss %.1f%% (%d total), jitter %d, rtt %s, %d nacked, %d PLI, %d refused",
                fractionLost * 100, cumulativeLost, jitter,
                roundTripMicros < 0 ? "unknown" : roundTripMicros / 1000 + " ms", nackedPackets,
                pictureLossIndications, refusedPackets);
    }
}
