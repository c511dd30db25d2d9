package io.liveshard.node.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.util.ByteString;

/**
 * Writes an {@link HttpResponse} built for Pekko HTTP as HTTP/1.1 bytes (RFC 9112 sections 4 to 7), for the
 * connections the node serves itself: an HTTP-FLV play's chunked head, or a refusal with its short text body.
 * Either way the connection closes after it, so {@code Connection: close} is always sent.
 */
public final class HttpResponseHead {

    /** RFC 9110 section 5.6.7: always two-digit days, unlike {@link DateTimeFormatter#RFC_1123_DATE_TIME}. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private HttpResponseHead() {}

    /** The head of an endless chunked response; the body follows as chunks. */
    public static ByteString chunked(HttpResponse response) {
        StringBuilder head = statusAndHeaders(response);
        head.append("Transfer-Encoding: chunked\r\n\r\n");
        return ByteString.fromString(head.toString(), StandardCharsets.ISO_8859_1);
    }

    /** A whole response whose entity is strict (a refusal); any other entity is answered with a bare 500. */
    public static ByteString complete(HttpResponse response) {
        if (!(response.entity() instanceof HttpEntity.Strict strict)) {
            return ByteString.fromString("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n", StandardCharsets.ISO_8859_1);
        }
        StringBuilder head = statusAndHeaders(response);
        head.append("Content-Length: ").append(strict.getData().size()).append("\r\n\r\n");
        return ByteString.fromString(head.toString(), StandardCharsets.ISO_8859_1).concat(strict.getData());
    }

    private static StringBuilder statusAndHeaders(HttpResponse response) {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(response.status().intValue()).append(' ')
                .append(response.status().reason()).append("\r\n")
                .append("Server: LiveShard\r\n")
                .append("Date: ").append(IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n")
                .append("Content-Type: ").append(response.entity().getContentType()).append("\r\n")
                .append("Connection: close\r\n");
        for (HttpHeader header : response.getHeaders()) {
            head.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        return head;
    }
}
