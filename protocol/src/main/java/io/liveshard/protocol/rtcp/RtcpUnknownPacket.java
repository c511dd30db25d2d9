package io.liveshard.protocol.rtcp;

/**
 * A well-formed RTCP packet LiveShard does not interpret (SDES, APP, XR, transport-wide CC, other feedback): skipped,
 * but reported so that callers can count it.
 *
 * @param packetType the PT field
 * @param count      the 5-bit count or FMT field
 * @param length     the packet's length in bytes, header included
 */
public record RtcpUnknownPacket(int packetType, int count, int length) implements RtcpPacket {
}
