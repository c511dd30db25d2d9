package io.liveshard.node.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.pekko.util.ByteString;

/**
 * Reads the first request of a new HTTP connection far enough to tell whether it is an HTTP-FLV play
 * ({@code GET /{app}/{stream}.flv} over HTTP/1.1, RFC 9112 section 3). Such a connection then carries one endless
 * response and nothing else, so the node serves it straight from the socket's event loop instead of through the
 * HTTP server's streams; every other connection goes to Pekko HTTP with the bytes read so far in front.
 *
 * <p>An explicit state machine over the bytes that arrive: it only looks, it never refuses. Anything odd (another
 * method, HTTP/1.0, a head over {@link #MAX_HEAD_BYTES}) is simply left to Pekko HTTP, which refuses properly.
 */
final class HttpFlvRequestSniffer {

    /** Pekko HTTP's default limit for a request head is 8 KiB too; a bigger head is its to refuse. */
    static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final Pattern FLV_TARGET = Pattern.compile("^/[^/?#]+/[^/?#]+\\.flv(\\?[^#]*)?$");
    private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);

    enum State { NEED_MORE, FLV_PLAY, OTHER }

    /** A sniffed HTTP-FLV request: its target (path and query) and header fields in order. */
    record FlvRequest(String target, List<String[]> headers) {}

    private ByteString received = ByteString.emptyByteString();
    private State state = State.NEED_MORE;
    private FlvRequest request;

    /** Takes the next bytes read; the state says whether to read more. */
    State offer(ByteString bytes) {
        if (state != State.NEED_MORE) {
            throw new IllegalStateException("already decided: " + state);
        }
        received = received.concat(bytes);
        state = decide();
        return state;
    }

    /** Everything read so far: what Pekko HTTP must see first when the connection is its. */
    ByteString received() {
        return received;
    }

    Optional<FlvRequest> request() {
        return Optional.ofNullable(request);
    }

    private State decide() {
        int prefix = Math.min(received.size(), GET.length);
        for (int i = 0; i < prefix; i++) {
            if (received.apply(i) != GET[i]) {
                return State.OTHER;
            }
        }
        int lineEnd = received.indexOf((byte) '\n');
        if (lineEnd < 0) {
            return received.size() > MAX_HEAD_BYTES ? State.OTHER : State.NEED_MORE;
        }
        String[] requestLine = line(0, lineEnd).split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].equals("HTTP/1.1")
                || !FLV_TARGET.matcher(requestLine[1]).matches()) {
            return State.OTHER;
        }
        int headEnd = indexOfBlankLine();
        if (headEnd < 0) {
            return received.size() > MAX_HEAD_BYTES ? State.OTHER : State.NEED_MORE;
        }
        if (headEnd > MAX_HEAD_BYTES) {
            return State.OTHER;
        }
        Optional<List<String[]>> headers = headers(lineEnd + 1, headEnd);
        if (headers.isEmpty() || headEnd != received.size()
                || headers.get().stream().noneMatch(field -> field[0].equalsIgnoreCase("Host"))) {
            // Malformed fields, no Host (RFC 9112 section 3.2), a body or a pipelined request: Pekko HTTP handles
            // (or refuses) those.
            return State.OTHER;
        }
        request = new FlvRequest(requestLine[1], headers.get());
        return State.FLV_PLAY;
    }

    /** The offset just past the CRLF CRLF ending the head, or -1. */
    private int indexOfBlankLine() {
        for (int i = 3; i < received.size(); i++) {
            if (received.apply(i) == '\n' && received.apply(i - 1) == '\r' && received.apply(i - 2) == '\n'
                    && received.apply(i - 3) == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private Optional<List<String[]>> headers(int from, int headEnd) {
        List<String[]> fields = new ArrayList<>();
        int start = from;
        while (start < headEnd - 2) {
            int end = received.indexOf((byte) '\n', start);
            String field = line(start, end);
            int colon = field.indexOf(':');
            if (colon <= 0 || field.charAt(0) == ' ' || field.charAt(0) == '\t') {
                return Optional.empty();
            }
            String name = field.substring(0, colon);
            if (!name.strip().equals(name)) {
                return Optional.empty();
            }
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
                return Optional.empty();
            }
            fields.add(new String[] {name, field.substring(colon + 1).strip()});
            start = end + 1;
        }
        return Optional.of(fields);
    }

    /** The text of a line from {@code start} to the LF at {@code lf}, without its CR. */
    private String line(int start, int lf) {
        int end = lf > start && received.apply(lf - 1) == '\r' ? lf - 1 : lf;
        return received.slice(start, end).decodeString(StandardCharsets.ISO_8859_1);
    }
}
