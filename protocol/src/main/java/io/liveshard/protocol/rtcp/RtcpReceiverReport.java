package io.liveshard.protocol.rtcp;

import java.util.List;

/**
 * A receiver report (RR, PT 201): what a viewer says about the streams it receives.
 *
 * @param ssrc         the reporter
 * @param reportBlocks one block per source it reports on; may be empty
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.4.2">RFC 3550, 6.4.2</a>
 */
public record RtcpReceiverReport(long ssrc, List<RtcpReportBlock> reportBlocks) implements RtcpPacket {

    public RtcpReceiverReport {
        reportBlocks = List.copyOf(reportBlocks);
    }
}
