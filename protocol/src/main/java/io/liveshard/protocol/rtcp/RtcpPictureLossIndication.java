package io.liveshard.protocol.rtcp;

/**
 * A picture loss indication (PSFB, FMT 1): the receiver cannot decode and wants a key frame.
 *
 * @param senderSsrc the receiver
 * @param mediaSsrc  the video source
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4585#section-6.3.1">RFC 4585, 6.3.1</a>
 */
public record RtcpPictureLossIndication(long senderSsrc, long mediaSsrc) implements RtcpPacket {
}
