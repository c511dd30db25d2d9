package io.liveshard.protocol.rtcp;

import java.util.List;

/**
 * A receiver estimated maximum bitrate (REMB, PSFB FMT 15 with the identifier "REMB"): the total bitrate the receiver
 * estimates it can take for the listed sources.
 *
 * @param senderSsrc the receiver
 * @param bitrate    BR Mantissa * 2^BR Exp in bits per second, capped at {@link Long#MAX_VALUE}
 * @param ssrcs      the sources the estimate covers
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-alvestrand-rmcat-remb-03#section-2.2">
 *      draft-alvestrand-rmcat-remb-03, 2.2</a>
 */
public record RtcpRemb(long senderSsrc, long bitrate, List<Long> ssrcs) implements RtcpPacket {

    public RtcpRemb {
        ssrcs = List.copyOf(ssrcs);
    }
}
