package io.liveshard.protocol.rtp;

/**
 * One element of an RTP header extension in the one-byte or two-byte form of RFC 8285: the local identifier the SDP
 * {@code extmap} attribute bound, and where its value lies in the array that was parsed (no copy is made).
 *
 * @param id     the local identifier: 1..14 in the one-byte form, 1..255 in the two-byte form
 * @param offset where the value starts in the parsed array
 * @param length the value's length in bytes: 1..16 in the one-byte form, 0..255 in the two-byte form
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8285#section-4">RFC 8285, section 4</a>
 */
public record RtpHeaderExtension(int id, int offset, int length) {
}
