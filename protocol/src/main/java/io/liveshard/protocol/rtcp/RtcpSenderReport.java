package io.liveshard.protocol.rtcp;

import java.util.List;

/**
 * A sender report (SR, PT 200) as read; {@link RtcpWriter#writeSenderReport} writes one.
 *
 * @param ssrc         the sender
 * @param ntpTimestamp the wall clock time of the report, 64-bit NTP format
 * @param rtpTimestamp the same instant in the sender's RTP clock
 * @param packetCount  RTP packets sent since the start (32 bits, wraps)
 * @param octetCount   RTP payload octets sent since the start (32 bits, wraps)
 * @param reportBlocks what the sender receives, if it receives
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.1">RFC 3550, 6.4.1</a>
 */
public record RtcpSenderReport(
        long ssrc,
        long ntpTimestamp,
        long rtpTimestamp,
        long packetCount,
        long octetCount,
        List<RtcpReportBlock> reportBlocks) implements RtcpPacket {

    public RtcpSenderReport {
        reportBlocks = List.copyOf(reportBlocks);
    }
}
