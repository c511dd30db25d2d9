package io.liveshard.protocol.rtcp;

import java.util.List;

/**
 * A goodbye (BYE, PT 203): the sources are leaving. An optional reason text is not kept.
 *
 * @param ssrcs the sources leaving
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3550#section-6.6">RFC 3550, 6.6</a>
 */
public record RtcpBye(List<Long> ssrcs) implements RtcpPacket {

    public RtcpBye {
        ssrcs = List.copyOf(ssrcs);
    }
}
