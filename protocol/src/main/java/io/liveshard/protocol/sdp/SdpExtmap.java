package io.liveshard.protocol.sdp;

/**
 * {@code a=extmap} (RFC 8285 section 8): an RTP header extension the offerer can use, by local id.
 *
 * @param id  1..255 (RFC 8285 section 5: 1..14 fit the one-byte header, up to 255 need the two-byte one)
 * @param uri the extension's URI
 */
public record SdpExtmap(int id, String uri) {

    /** RFC 8285 section 5: the largest id of the two-byte header form. */
    public static final int MAX_ID = 255;
}
