package io.liveshard.node.hls;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.protocol.media.StreamKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic HLS over HTTP: {@code GET /{app}/{stream}.m3u8} (the media playlist, starting the stream's HLS output on
 * first request) and {@code GET /{app}/{stream}/{sequence}.ts} (a segment of the current window).
 */
public final class HlsHandler {

    private static final Logger log = LoggerFactory.getLogger(HlsHandler.class);
    /** RFC 8216 section 4: playlists are application/vnd.apple.mpegurl (UTF-8 by definition, so no charset). */
    private static final ContentType PLAYLIST =
            ContentTypes.create(MediaTypes.customBinary("application", "vnd.apple.mpegurl", true));
    private static final ContentType SEGMENT = ContentTypes.create(MediaTypes.customBinary("video", "mp2t", false));
    /** Longest sequence number accepted in a segment URL: 18 digits always fit a long. */
    private static final int MAX_SEQUENCE_DIGITS = 18;

    private final HlsOutputs<HlsSegmenter> outputs;

    public HlsHandler(HlsOutputs<HlsSegmenter> outputs) {
        this.outputs = outputs;
    }

    /**
     * The playlist; {@code uriQuery} goes after every segment URI (a viewer's signed-URL parameter, or empty).
     */
    public CompletionStage<HttpResponse> playlist(StreamKey key, String uriQuery, String client) {
        return outputs.open(key).thenCompose(output -> {
            if (output.isEmpty()) {
                return done(outputs.refusal(key, client));
            }
            HlsStreamOutput<HlsSegmenter> running = output.get();
            running.touch(client);
            HlsWindow window = running.muxing().window();
            if (!window.segments().isEmpty() || window.ended()) {
                return done(playlistResponse(key, window, uriQuery));
            }
            long timeoutMillis = outputs.settings().firstSegmentTimeout().toMillis();
            return running.firstSegment().completeOnTimeout(null, timeoutMillis, TimeUnit.MILLISECONDS)
                    .thenApply(first -> first == null
                            ? HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE,
                                    "stream " + key + " has no HLS segment yet, retry shortly")
                            : playlistResponse(key, running.muxing().window(), uriQuery));
        });
    }

    public CompletionStage<HttpResponse> segment(StreamKey key, String sequenceText, String client) {
        Optional<Long> sequence = parseSequence(sequenceText);
        if (sequence.isEmpty()) {
            log.warn("hls {} for {}: refused segment name {}", key, client, printable(sequenceText));
            return done(HttpResponses.text(StatusCodes.BAD_REQUEST, "segment names are sequence numbers"));
        }
        Optional<HlsStreamOutput<HlsSegmenter>> output = outputs.existing(key);
        if (output.isEmpty()) {
            return done(HttpResponses.text(StatusCodes.NOT_FOUND, "stream " + key + " has no HLS output"));
        }
        output.get().touch(client);
        return done(output.get().muxing().window().segment(sequence.get())
                .map(segment -> {
                    output.get().sending(segment.newestIngestNanos(), segment.bytes().length);
                    return segment;
                })
                .map(segment -> HttpResponses.withCors(HttpResponse.create()
                        .withStatus(StatusCodes.OK)
                        .withEntity(SEGMENT, segment.bytes())
                        .addHeader(RawHeader.create("Cache-Control", "public, max-age=60, immutable"))))
                .orElseGet(() -> HttpResponses.text(StatusCodes.NOT_FOUND,
                        "segment " + sequence.get() + " of " + key + " is not in the window")));
    }

    private HttpResponse playlistResponse(StreamKey key, HlsWindow window, String uriQuery) {
        String text = window.playlist(key.stream() + "/", uriQuery, outputs.settings().targetSeconds());
        return HttpResponses.withCors(HttpResponse.create()
                .withStatus(StatusCodes.OK)
                .withEntity(PLAYLIST, text.getBytes(StandardCharsets.UTF_8))
                .addHeader(RawHeader.create("Cache-Control", "no-cache")));
    }

    private static Optional<Long> parseSequence(String text) {
        if (text.isEmpty() || text.length() > MAX_SEQUENCE_DIGITS) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(text));
    }

    private static String printable(String text) {
        return text.chars().limit(40).mapToObj(c -> c >= 32 && c < 127 ? String.valueOf((char) c) : "?")
                .reduce("", String::concat);
    }

    private static CompletableFuture<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
