package io.liveshard.protocol.rtcp;

import java.util.Arrays;

/**
 * A generic NACK (RTPFB, FMT 1): the receiver lacks these packets. Each FCI entry's PID and BLP bitmask are expanded
 * into the sequence numbers they name, PID first and then PID+1..PID+16 for the BLP bits set, in FCI order.
 *
 * @param senderSsrc          the receiver sending the NACK
 * @param mediaSsrc           the source whose packets are missing
 * @param lostSequenceNumbers the missing sequence numbers, 0..65535; shared, not to be modified
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.2.1">RFC 4585, 6.2.1</a>
 */
public record RtcpGenericNack(long senderSsrc, long mediaSsrc, int[] lostSequenceNumbers) implements RtcpPacket {

    @Override
    public boolean equals(Object other) {
        return other instanceof RtcpGenericNack that && senderSsrc == that.senderSsrc && mediaSsrc == that.mediaSsrc
                && Arrays.equals(lostSequenceNumbers, that.lostSequenceNumbers);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(senderSsrc) * 31 + Long.hashCode(mediaSsrc)) * 31 + Arrays.hashCode(lostSequenceNumbers);
    }

    @Override
    public String toString() {
        return "RtcpGenericNack[senderSsrc=" + senderSsrc + " mediaSsrc=" + mediaSsrc + " lost="
                + Arrays.toString(lostSequenceNumbers) + "]";
    }
}
