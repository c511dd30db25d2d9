package io.liveshard.node.hls;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.protocol.media.StreamKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Low-Latency HLS over HTTP: {@code GET /{app}/{stream}/ll.m3u8} with blocking playlist reload
 * ({@code _HLS_msn}, {@code _HLS_part}), and under {@code /{app}/{stream}/ll/} the init segments
 * ({@code init{v}.mp4}), segments ({@code {n}.m4s}) and parts ({@code {n}.{p}.m4s}). A request for the part the
 * playlist's preload hint names is held until the part exists.
 */
public final class LlHlsHandler {

    private static final Logger log = LoggerFactory.getLogger(LlHlsHandler.class);
    private static final ContentType PLAYLIST =
            ContentTypes.create(MediaTypes.customBinary("application", "vnd.apple.mpegurl", true));
    private static final ContentType MP4 = ContentTypes.create(MediaTypes.customBinary("video", "mp4", false));
    private static final ContentType M4S = ContentTypes.create(MediaTypes.customBinary("video", "iso.segment", false));
    /** Longest number accepted in a query or a file name: 18 digits always fit a long. */
    private static final int MAX_DIGITS = 18;
    private static final Pattern INIT = Pattern.compile("^init(\\d{1,9})\\.mp4$");
    private static final Pattern SEGMENT = Pattern.compile("^(\\d{1,18})\\.m4s$");
    private static final Pattern PART = Pattern.compile("^(\\d{1,18})\\.(\\d{1,9})\\.m4s$");

    private final HlsOutputs<LlHlsSegmenter> outputs;
    private final LlHlsSettings settings;

    public LlHlsHandler(HlsOutputs<LlHlsSegmenter> outputs, LlHlsSettings settings) {
        this.outputs = outputs;
        this.settings = settings;
    }

    /**
     * The playlist, holding the request when it asks for a part or segment that does not exist yet;
     * {@code uriQuery} goes after every URI in it (a viewer's signed-URL parameter, or empty).
     */
    public CompletionStage<HttpResponse> playlist(StreamKey key, Optional<String> msnText, Optional<String> partText,
                                                  String uriQuery, String client) {
        OptionalLong msn = msnText.isPresent() ? number(msnText.get()) : OptionalLong.empty();
        OptionalLong part = partText.isPresent() ? number(partText.get()) : OptionalLong.empty();
        if (msnText.isPresent() && msn.isEmpty() || partText.isPresent() && (part.isEmpty() || msnText.isEmpty())) {
            log.warn("ll-hls {} for {}: refused blocking reload _HLS_msn={} _HLS_part={}", key, client,
                    msnText.map(LlHlsHandler::printable).orElse("-"),
                    partText.map(LlHlsHandler::printable).orElse("-"));
            return done(HttpResponses.text(StatusCodes.BAD_REQUEST,
                    "_HLS_msn must be a sequence number, and _HLS_part a part index given with _HLS_msn"));
        }
        return outputs.open(key).thenCompose(output -> {
            if (output.isEmpty()) {
                return done(outputs.refusal(key, client));
            }
            output.get().touch(client);
            LlHlsSegmenter segmenter = output.get().muxing();
            return segmenter.await(LlHlsWindow::playable, outputs.settings().firstSegmentTimeout())
                    .thenCompose(first -> {
                        if (first == null) {
                            return done(HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE,
                                    "stream " + key + " has no LL-HLS part yet, retry shortly"));
                        }
                        if (msn.isEmpty()) {
                            return done(playlistResponse(segmenter, segmenter.window(), uriQuery));
                        }
                        return blockingReload(key, segmenter, msn.getAsLong(),
                                part.isPresent() ? (int) Math.min(part.getAsLong(), Integer.MAX_VALUE) : -1, uriQuery);
                    });
        });
    }

    /** Init segments, segments and parts under {@code /{app}/{stream}/ll/}. */
    public CompletionStage<HttpResponse> resource(StreamKey key, String name, String client) {
        Optional<HlsStreamOutput<LlHlsSegmenter>> output = outputs.existing(key);
        if (output.isEmpty()) {
            return done(HttpResponses.text(StatusCodes.NOT_FOUND, "stream " + key + " has no LL-HLS output"));
        }
        output.get().touch(client);
        LlHlsSegmenter segmenter = output.get().muxing();
        LlHlsWindow window = segmenter.window();
        Matcher init = INIT.matcher(name);
        if (init.matches()) {
            byte[] bytes = window.inits().get(Integer.parseInt(init.group(1)));
            return done(bytes == null ? notInWindow(key, name) : media(MP4, bytes));
        }
        Matcher segment = SEGMENT.matcher(name);
        if (segment.matches()) {
            return done(window.segment(Long.parseLong(segment.group(1)))
                    .map(s -> sent(output.get(), s.newestIngestNanos(), s.bytes()))
                    .orElseGet(() -> notInWindow(key, name)));
        }
        Matcher part = PART.matcher(name);
        if (part.matches()) {
            long sequence = Long.parseLong(part.group(1));
            int index = Integer.parseInt(part.group(2));
            Optional<LlHlsPart> ready = window.part(sequence, index);
            if (ready.isPresent()) {
                return done(sent(output.get(), ready.get().newestIngestNanos(), ready.get().bytes()));
            }
            if (!window.isNextPart(sequence, index)) {
                return done(notInWindow(key, name));
            }
            // Held until the part exists, or until it never will: its segment ended at a keyframe first (the
            // next part is then the next segment's first), or the stream ended.
            return segmenter.await(w -> w.part(sequence, index).isPresent() || w.ended()
                            || !w.isNextPart(sequence, index), settings.blockTimeout())
                    .thenApply(later -> {
                        if (later == null) {
                            return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE,
                                    "part " + name + " of " + key + " was not made in time");
                        }
                        return later.part(sequence, index)
                                .map(p -> sent(output.get(), p.newestIngestNanos(), p.bytes()))
                                .orElseGet(() -> HttpResponses.text(StatusCodes.NOT_FOUND, "part " + name + " of "
                                        + key + " will not be made: its segment ended first"));
                    });
        }
        log.warn("ll-hls {} for {}: refused resource name {}", key, client, printable(name));
        return done(HttpResponses.text(StatusCodes.BAD_REQUEST, "not an LL-HLS resource name: " + printable(name)));
    }

    private CompletionStage<HttpResponse> blockingReload(StreamKey key, LlHlsSegmenter segmenter, long msn, int part,
                                                         String uriQuery) {
        LlHlsWindow now = segmenter.window();
        // RFC 8216bis section 6.2.5.2: a request more than two segments ahead of the playlist is refused at once.
        if (msn > now.edgeSequence() + 2) {
            log.warn("ll-hls {}: refused blocking reload _HLS_msn={}, the playlist is at {}", key, msn,
                    now.edgeSequence());
            return done(HttpResponses.text(StatusCodes.BAD_REQUEST, "_HLS_msn " + msn + " is too far ahead of "
                    + key + " (now at " + now.edgeSequence() + ")"));
        }
        return segmenter.await(w -> w.shows(msn, part), settings.blockTimeout()).thenApply(window -> window == null
                ? HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, "segment " + msn + " part " + part + " of "
                        + key + " was not made within " + settings.blockTimeout().toMillis() + " ms")
                : playlistResponse(segmenter, window, uriQuery));
    }

    /**
     * The playlist of {@code window}. Without a {@code uriQuery} it is rendered once however many clients ask for
     * it: at the live edge every waiting client of a stream is answered with the same window the moment a part
     * appears. With one (signed URLs: each viewer has its own) it is rendered for this viewer.
     */
    private HttpResponse playlistResponse(LlHlsSegmenter segmenter, LlHlsWindow window, String uriQuery) {
        if (!uriQuery.isEmpty()) {
            return playlistResponse(window.playlist("ll/", uriQuery, settings));
        }
        return segmenter.rendered(window, w -> playlistResponse(w.playlist("ll/", settings)));
    }

    private static HttpResponse playlistResponse(String text) {
        return HttpResponses.withCors(HttpResponse.create()
                .withStatus(StatusCodes.OK)
                .withEntity(PLAYLIST, text.getBytes(StandardCharsets.UTF_8))
                .addHeader(RawHeader.create("Cache-Control", "no-cache")));
    }

    /** A segment or part as a response, its newest frame's time in the node recorded as being sent now. */
    private static HttpResponse sent(HlsStreamOutput<LlHlsSegmenter> output, long newestIngestNanos, byte[] bytes) {
        output.sending(newestIngestNanos, bytes.length);
        return media(M4S, bytes);
    }

    private static HttpResponse media(ContentType type, byte[] bytes) {
        return HttpResponses.withCors(HttpResponse.create()
                .withStatus(StatusCodes.OK)
                .withEntity(type, bytes)
                .addHeader(RawHeader.create("Cache-Control", "public, max-age=60, immutable")));
    }

    private static HttpResponse notInWindow(StreamKey key, String name) {
        return HttpResponses.text(StatusCodes.NOT_FOUND, name + " of " + key + " is not in the window");
    }

    private static OptionalLong number(String text) {
        if (text.isEmpty() || text.length() > MAX_DIGITS || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(text));
    }

    private static String printable(String text) {
        return text.chars().limit(40).mapToObj(c -> c >= 32 && c < 127 ? String.valueOf((char) c) : "?")
                .reduce("", String::concat);
    }

    private static CompletableFuture<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
