package io.liveshard.node.load;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Removes HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1) from a response body arriving in pieces: the
 * data of each chunk goes to the consumer as slices of the input, without copying.
 */
final class HttpChunkedDecoder {

    /** What one call to {@link #decode} left the decoder in. */
    enum Result { NEED_MORE_BYTES, END, BAD_MESSAGE }

    private enum State { SIZE_LINE, DATA, DATA_CRLF, TRAILER, END, BAD_MESSAGE }

    /** Longest chunk-size line accepted (hex digits and extensions); longer lines are refused. */
    private static final int MAX_SIZE_LINE = 256;

    private final StringBuilder line = new StringBuilder();
    private State state = State.SIZE_LINE;
    private long dataLeft;
    private int crlfSeen;
    private String failureReason;

    Result decode(ByteBuffer in, Consumer<ByteBuffer> data) {
        while (in.hasRemaining()) {
            switch (state) {
                case SIZE_LINE -> readSizeLine(in);
                case DATA -> {
                    int n = (int) Math.min(dataLeft, in.remaining());
                    ByteBuffer slice = in.slice(in.position(), n);
                    in.position(in.position() + n);
                    dataLeft -= n;
                    if (dataLeft == 0) {
                        state = State.DATA_CRLF;
                        crlfSeen = 0;
                    }
                    data.accept(slice);
                }
                case DATA_CRLF -> {
                    byte b = in.get();
                    if (b != (crlfSeen == 0 ? '\r' : '\n')) {
                        fail("chunk data not followed by CRLF");
                    } else if (++crlfSeen == 2) {
                        state = State.SIZE_LINE;
                    }
                }
                case TRAILER -> readTrailerLine(in);
                case END, BAD_MESSAGE -> {
                    return state == State.END ? Result.END : Result.BAD_MESSAGE;
                }
            }
        }
        return state == State.END ? Result.END : state == State.BAD_MESSAGE ? Result.BAD_MESSAGE
                : Result.NEED_MORE_BYTES;
    }

    String failureReason() {
        return failureReason;
    }

    private void readSizeLine(ByteBuffer in) {
        if (!readLine(in)) {
            return;
        }
        String text = line.toString();
        int extension = text.indexOf(';');
        String hex = (extension >= 0 ? text.substring(0, extension) : text).trim();
        line.setLength(0);
        try {
            dataLeft = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            fail("bad chunk size line '" + text + "'");
            return;
        }
        if (dataLeft < 0 || hex.length() > 15) {
            fail("bad chunk size " + hex);
            return;
        }
        state = dataLeft == 0 ? State.TRAILER : State.DATA;
    }

    private void readTrailerLine(ByteBuffer in) {
        if (!readLine(in)) {
            return;
        }
        boolean empty = line.length() == 0;
        line.setLength(0);
        if (empty) {
            state = State.END;
        }
    }

    /** Collects a line up to CRLF into {@link #line} (without the CRLF); true once the line is complete. */
    private boolean readLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            char c = (char) (in.get() & 0xFF);
            if (c == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return true;
            }
            if (line.length() >= MAX_SIZE_LINE) {
                fail("chunk size line longer than " + MAX_SIZE_LINE + " bytes");
                return false;
            }
            line.append(c);
        }
        return false;
    }

    private void fail(String reason) {
        failureReason = reason;
        state = State.BAD_MESSAGE;
    }
}
