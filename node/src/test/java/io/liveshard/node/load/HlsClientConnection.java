package io.liveshard.node.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HLS client on a keep-alive HTTP/1.1 connection, one request at a time, in one of two modes.
 *
 * <p>{@link Mode#LIVE} plays Low-Latency HLS as hls.js does at the live edge: it reads the playlist once, then
 * repeats "blocking reload for the hinted part" ({@code ll.m3u8?_HLS_msn=M&_HLS_part=P}) and "fetch that part".
 * Each reload answer is timed against the first answer any client got for the same part, which tells how evenly
 * the node releases a crowd of waiting requests when a part appears.
 *
 * <p>{@link Mode#SEGMENT} fetches one cached resource over and over: the node's cost of serving bytes it holds.
 */
final class HlsClientConnection extends ViewerConnection {

    enum Mode { LIVE, SEGMENT }

    private enum Awaiting { PLAYLIST, RELOAD, PART, RESOURCE, SEGMENT_LIST }

    /** The part the playlist tells players to ask for next: {@code #EXT-X-PRELOAD-HINT:TYPE=PART,URI="ll/5.3.m4s"}. */
    private static final Pattern PRELOAD_HINT = Pattern.compile(
            "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"([^\"]*?)(\\d+)\\.(\\d+)\\.m4s\"");
    /** The last whole segment a playlist lists: a line {@code ll/12.m4s}. */
    private static final Pattern WHOLE_SEGMENT = Pattern.compile("(?m)^([^#\\s][^\\s]*\\.m4s)\\s*$");
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final Mode mode;
    private final String host;
    private final String streamPath;
    private String resourcePath;
    private final MeasurementWindow window;
    private final Map<Long, Long> firstAnswerNanos;
    private final HttpResponseReader response = new HttpResponseReader(MAX_HEADER_BYTES);

    private Awaiting awaiting;
    private String hintPrefix;
    private long msn;
    private int part;
    private long sentNanos;
    private long reloadsInWindow;
    private long partsInWindow;
    private long resourcesInWindow;
    private final LatencySamples reloadSpread = new LatencySamples();
    private final LatencySamples requestTime = new LatencySamples();

    /**
     * @param streamPath       {@code /{app}/{stream}}
     * @param resourcePath     what {@link Mode#SEGMENT} fetches first, e.g. {@code /live/bench/ll/12.m4s}; when it
     *                         leaves the node's window, the client reads the playlist and takes the newest one
     * @param firstAnswerNanos shared by all live clients: the earliest reload answer per part
     */
    HlsClientConnection(int id, Mode mode, String host, int port, String streamPath, String resourcePath,
                        MeasurementWindow window, AtomicInteger receiving, Map<Long, Long> firstAnswerNanos) {
        super(mode == Mode.LIVE ? "ll-hls" : "segment", id, window, receiving);
        this.mode = mode;
        this.host = host + ":" + port;
        this.streamPath = streamPath;
        this.resourcePath = resourcePath;
        this.window = window;
        this.firstAnswerNanos = firstAnswerNanos;
    }

    static Map<Long, Long> sharedAnswerTimes() {
        return new ConcurrentHashMap<>();
    }

    @Override
    void onConnected() {
        if (mode == Mode.LIVE) {
            request(Awaiting.PLAYLIST, streamPath + "/ll.m3u8");
        } else {
            request(Awaiting.RESOURCE, resourcePath);
        }
    }

    private void request(Awaiting next, String path) {
        awaiting = next;
        sentNanos = System.nanoTime();
        send(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: liveshard-load " + id
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    void onBytes(ByteBuffer in, long nowNanos) {
        countBytes(in.remaining(), nowNanos);
        while (in.hasRemaining() && !isClosed()) {
            HttpResponseReader.Result result = response.feed(in, awaiting == Awaiting.PLAYLIST
                    || awaiting == Awaiting.RELOAD || awaiting == Awaiting.SEGMENT_LIST);
            if (result == HttpResponseReader.Result.MALFORMED) {
                fail("malformed response: " + response.problem());
                return;
            }
            if (result == HttpResponseReader.Result.NEED_MORE) {
                return;
            }
            onResponse(nowNanos);
            response.reset();
        }
    }

    private void onResponse(long nowNanos) {
        int status = response.status();
        if (status == 404 && awaiting == Awaiting.RESOURCE) {
            request(Awaiting.SEGMENT_LIST, streamPath + "/ll.m3u8");
            return;
        }
        if (status != 200) {
            fail("HTTP " + status + " for " + awaiting.name().toLowerCase(Locale.ROOT) + ": "
                    + response.bodyText().strip());
            return;
        }
        boolean inWindow = window.contains(nowNanos);
        if (inWindow && (awaiting == Awaiting.PART || awaiting == Awaiting.RESOURCE)) {
            requestTime.add((nowNanos - sentNanos) / 1000);
        }
        switch (awaiting) {
            case PLAYLIST -> {
                if (readHint()) {
                    reload();
                }
            }
            case RELOAD -> {
                long partKey = msn << 16 | part;
                long first = firstAnswerNanos.merge(partKey, nowNanos, Math::min);
                if (inWindow) {
                    reloadsInWindow++;
                    reloadSpread.add((nowNanos - first) / 1000);
                }
                String playlist = response.bodyText();
                if (!playlist.contains("URI=\"" + hintPrefix + msn + "." + part + ".m4s\"")) {
                    // The hinted part was never made: its segment ended at a keyframe first, so the part the
                    // reload waited for is the next segment's first.
                    msn++;
                    part = 0;
                }
                String partPath = streamPath + "/" + hintPrefix + msn + "." + part + ".m4s";
                if (readHint()) {
                    request(Awaiting.PART, partPath);
                }
            }
            case PART -> {
                // A part's arrival stands for a video frame for the tool's "receiving" count.
                onMediaFrame(true, 0, nowNanos);
                if (inWindow) {
                    partsInWindow++;
                }
                reload();
            }
            case RESOURCE -> {
                onMediaFrame(true, 0, nowNanos);
                if (inWindow) {
                    resourcesInWindow++;
                }
                request(Awaiting.RESOURCE, resourcePath);
            }
            case SEGMENT_LIST -> {
                String newest = newestWholeSegment(response.bodyText());
                if (newest == null) {
                    fail("playlist without a whole segment");
                    return;
                }
                resourcePath = streamPath + "/" + newest;
                request(Awaiting.RESOURCE, resourcePath);
            }
        }
    }

    /** The URI of the newest whole segment a playlist lists, relative to it; null when it lists none. */
    static String newestWholeSegment(String playlist) {
        Matcher segment = WHOLE_SEGMENT.matcher(playlist);
        String newest = null;
        while (segment.find()) {
            newest = segment.group(1);
        }
        return newest;
    }

    /** Takes the next part to wait for from the playlist just read; fails the client when there is none. */
    private boolean readHint() {
        Matcher hint = PRELOAD_HINT.matcher(response.bodyText());
        if (!hint.find()) {
            fail("playlist without a part preload hint");
            return false;
        }
        hintPrefix = hint.group(1);
        msn = Long.parseLong(hint.group(2));
        part = Integer.parseInt(hint.group(3));
        return true;
    }

    private void reload() {
        request(Awaiting.RELOAD, streamPath + "/ll.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part);
    }

    long reloadsInWindow() {
        return reloadsInWindow;
    }

    long partsInWindow() {
        return partsInWindow;
    }

    long resourcesInWindow() {
        return resourcesInWindow;
    }

    /** Per reload in the window: microseconds after the first client got its answer for the same part. */
    LatencySamples reloadSpread() {
        return reloadSpread;
    }

    /** Per part or resource request in the window: microseconds from sending it to its whole response. */
    LatencySamples requestTime() {
        return requestTime;
    }
}
