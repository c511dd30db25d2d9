package io.liveshard.node.http;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;

/** HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1) for the responses the node writes itself. */
public final class HttpChunks {

    /** The last chunk and an empty trailer: the end of a chunked body. */
    public static final ByteString LAST_CHUNK = ByteString.fromString("0\r\n\r\n", StandardCharsets.US_ASCII);
    private static final ByteString CRLF = ByteString.fromString("\r\n", StandardCharsets.US_ASCII);

    private HttpChunks() {}

    /** {@code data} as one chunk; data must not be empty (an empty chunk would end the body). */
    public static ByteString chunk(ByteString data) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("an empty chunk ends the body");
        }
        return ByteString.fromString(Integer.toHexString(data.size()) + "\r\n", StandardCharsets.US_ASCII)
                .concat(data).concat(CRLF);
    }
}
