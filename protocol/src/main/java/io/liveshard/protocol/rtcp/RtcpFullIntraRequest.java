package io.liveshard.protocol.rtcp;

import java.util.List;

/**
 * A full intra request (PSFB, FMT 4): the receiver wants a key frame from each listed source. The media source SSRC
 * of the common header is unused by FIR (RFC 5104 4.3.1.2) and not kept.
 *
 * @param senderSsrc the receiver
 * @param requests   one per source, each with its command sequence number
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5104#section-4.3.1">RFC 5104, 4.3.1</a>
 */
public record RtcpFullIntraRequest(long senderSsrc, List<Request> requests) implements RtcpPacket {

    public RtcpFullIntraRequest {
        requests = List.copyOf(requests);
    }

    /**
     * One FCI entry.
     *
     * @param ssrc           the source asked for a key frame
     * @param sequenceNumber the 8-bit command sequence number: a repeat of the same number is the same request
     */
    public record Request(long ssrc, int sequenceNumber) {
    }
}
