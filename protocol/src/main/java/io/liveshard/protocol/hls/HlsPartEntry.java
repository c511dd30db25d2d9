package io.liveshard.protocol.hls;

/**
 * A partial segment as a Low-Latency HLS playlist lists it ({@code #EXT-X-PART}, RFC 8216bis section 4.4.4.9).
 *
 * @param durationMillis its duration
 * @param uri            where a player fetches it, relative to the playlist
 * @param independent    it starts with a frame a decoder can start from ({@code INDEPENDENT=YES})
 */
public record HlsPartEntry(long durationMillis, String uri, boolean independent) {
}
