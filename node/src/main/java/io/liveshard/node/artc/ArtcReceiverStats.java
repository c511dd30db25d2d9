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
 * for logs and stats.
 */
final class ArtcReceiverStats {

    private volatile double fractionLost;
    private volatile long cumulativeLost;
    private volatile long jitter;
    private volatile long roundTripMicros = -1;
    private volatile long nackedPackets;
    private volatile long pictureLossIndications;
    private volatile long refusedPackets;

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

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss %.1f%% (%d total), jitter %d, rtt %s, %d nacked, %d PLI, %d refused",
                fractionLost * 100, cumulativeLost, jitter,
                roundTripMicros < 0 ? "unknown" : roundTripMicros / 1000 + " ms", nackedPackets,
                pictureLossIndications, refusedPackets);
    }
}
