package io.liveshard.protocol.rtcp;

/** One packet of a compound RTCP packet, as {@link RtcpCompoundParser} reads it. */
public sealed interface RtcpPacket permits RtcpSenderReport, RtcpReceiverReport, RtcpBye, RtcpGenericNack,
        RtcpPictureLossIndication, RtcpFullIntraRequest, RtcpRemb, RtcpUnknownPacket {
}
