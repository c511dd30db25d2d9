package io.liveshard.node.load;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response with a {@code Content-Length} body from bytes arriving in pieces: the status, and the
 * body kept as text only when the caller wants it (playlists), otherwise just counted (segments and parts).
 * Chunked responses are refused: the node sends playlists and segments whole.
 */
final class HttpResponseReader {

    enum Result { NEED_MORE, COMPLETE, MALFORMED }

    private enum State { HEAD, BODY, COMPLETE, MALFORMED }

    private final int maxHeadBytes;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(512);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(2048);
    /** The head ends at the first empty line: the last four bytes are CR LF CR LF. */
    private static final int CRLF_CRLF = 0x0D0A0D0A;

    private State state = State.HEAD;
    private int lastFour;
    private int status;
    private long bodyLeft;
    private boolean keepBody;
    private String problem;

    HttpResponseReader(int maxHeadBytes) {
        this.maxHeadBytes = maxHeadBytes;
    }

    /**
     * Consumes bytes of the response and no more: what follows a complete response stays in {@code in}.
     *
     * @param keepBody whether {@link #bodyText} should hold the body
     */
    Result feed(ByteBuffer in, boolean keepBody) {
        this.keepBody = keepBody;
        while (in.hasRemaining() && state == State.HEAD) {
            byte b = in.get();
            head.write(b);
            lastFour = lastFour << 8 | (b & 0xFF);
            if (lastFour == CRLF_CRLF) {
                parseHead();
            } else if (head.size() > maxHeadBytes) {
                malformed("response head longer than " + maxHeadBytes + " bytes");
            }
        }
        if (state == State.BODY) {
            int n = (int) Math.min(bodyLeft, in.remaining());
            if (this.keepBody) {
                body.write(in.array(), in.arrayOffset() + in.position(), n);
            }
            in.position(in.position() + n);
            bodyLeft -= n;
            if (bodyLeft == 0) {
                state = State.COMPLETE;
            }
        }
        return switch (state) {
            case COMPLETE -> Result.COMPLETE;
            case MALFORMED -> Result.MALFORMED;
            default -> Result.NEED_MORE;
        };
    }

    private void parseHead() {
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            malformed("bad status line: " + lines[0]);
            return;
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            malformed("bad status: " + lines[0]);
            return;
        }
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].toLowerCase(Locale.ROOT);
            if (line.startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).strip());
            } else if (line.startsWith("transfer-encoding:")) {
                malformed("unexpected " + lines[i]);
                return;
            }
        }
        if (length < 0) {
            malformed("no Content-Length");
            return;
        }
        bodyLeft = length;
        state = length == 0 ? State.COMPLETE : State.BODY;
    }

    private void malformed(String reason) {
        problem = reason;
        state = State.MALFORMED;
    }

    int status() {
        return status;
    }

    String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }

    String problem() {
        return problem;
    }

    void reset() {
        head.reset();
        lastFour = 0;
        body.reset();
        state = State.HEAD;
        status = 0;
        bodyLeft = 0;
        problem = null;
    }
}
