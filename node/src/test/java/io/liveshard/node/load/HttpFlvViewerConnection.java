package io.liveshard.node.load;

import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTag;
import io.liveshard.protocol.flv.FlvTagType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP-FLV viewer: {@code GET /{app}/{stream}.flv}, the response head, then the body (de-chunked when the node
 * uses chunked transfer coding) through {@link FlvStreamReader}.
 */
final class HttpFlvViewerConnection extends ViewerConnection {

    /** Largest response head accepted before the body. */
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private final byte[] request;
    private final StringBuilder head = new StringBuilder();
    private final FlvStreamReader flv = new FlvStreamReader();
    private HttpChunkedDecoder chunked;
    private boolean headDone;
    private long nowNanos;

    HttpFlvViewerConnection(int id, String host, int port, String app, String stream, MeasurementWindow window,
                            AtomicInteger receivingViewers) {
        super("http-flv", id, window, receivingViewers);
        this.request = ("GET /" + app + "/" + stream + ".flv HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nUser-Agent: liveshard-load\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    void onConnected() {
        send(request);
    }

    @Override
    void onBytes(ByteBuffer in, long now) {
        nowNanos = now;
        countBytes(in.remaining(), now);
        if (!headDone && !readHead(in)) {
            return;
        }
        if (chunked == null) {
            feedFlv(in);
            return;
        }
        HttpChunkedDecoder.Result result = chunked.decode(in, this::feedFlv);
        if (result == HttpChunkedDecoder.Result.BAD_MESSAGE) {
            fail("bad chunked coding: " + chunked.failureReason());
        } else if (result == HttpChunkedDecoder.Result.END) {
            fail("the node ended the response");
        }
    }

    private boolean readHead(ByteBuffer in) {
        while (in.hasRemaining()) {
            head.append((char) (in.get() & 0xFF));
            int length = head.length();
            if (length >= 4 && head.charAt(length - 1) == '\n' && head.charAt(length - 2) == '\r'
                    && head.charAt(length - 3) == '\n' && head.charAt(length - 4) == '\r') {
                headDone = true;
                String text = head.toString();
                String statusLine = text.substring(0, text.indexOf('\r'));
                if (!statusLine.matches("HTTP/1\\.[01] 200( .*)?")) {
                    fail("node answered " + statusLine);
                    return false;
                }
                if (text.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
                    chunked = new HttpChunkedDecoder();
                }
                return true;
            }
            if (length > MAX_HEAD_BYTES) {
                fail("response head longer than " + MAX_HEAD_BYTES + " bytes");
                return false;
            }
        }
        return false;
    }

    private void feedFlv(ByteBuffer data) {
        FlvStreamReader.Result result;
        while ((result = flv.feed(data)) == FlvStreamReader.Result.TAG) {
            FlvTag tag = flv.tag();
            byte[] body = tag.body();
            if (tag.type() == FlvTagType.VIDEO && body.length > 1 && (body[0] & 0x80) == 0 && body[1] == 1) {
                onMediaFrame(true, tag.timestamp(), nowNanos);
            } else if (tag.type() == FlvTagType.AUDIO && !isAacConfig(body)) {
                onMediaFrame(false, tag.timestamp(), nowNanos);
            }
        }
        if (result == FlvStreamReader.Result.BAD_MESSAGE) {
            fail("bad FLV: " + flv.failureReason());
        }
    }

    static boolean isAacConfig(byte[] body) {
        return body.length > 1 && ((body[0] & 0xF0) >>> 4) == 10 && body[1] == 0;
    }
}
