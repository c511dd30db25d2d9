package io.liveshard.node.api;

import io.liveshard.node.http.HttpResponses;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: the stream list of {@code GET /api/v1/streams} as server-sent events, one per
 * interval. One tick per node makes the snapshot and a {@link BroadcastHub} hands it to every open console, so N
 * consoles cost one snapshot per interval; while nobody listens the hub backpressures the tick, which then drops
 * its ticks, and no snapshot is made at all. Each console reads through its own small buffer that drops the oldest
 * event, so a slow console loses updates instead of holding the hub (and the other consoles) back.
 */
public final class StreamEvents {

    private static final Logger log = LoggerFactory.getLogger(StreamEvents.class);
    /** Events one console may fall behind by before its oldest is dropped. */
    private static final int PER_CONSOLE_BUFFER = 2;
    /** Snapshots the hub holds for its slowest console (a power of two, as {@link BroadcastHub} requires). */
    private static final int HUB_BUFFER = 2;

    /** One snapshot as an SSE frame, and when it was made (a hub that waited for consoles may hold old ones). */
    private record Event(long madeAtMillis, ByteString frame) {}

    private final StreamApi api;
    private final Source<Event, NotUsed> hub;

    public StreamEvents(StreamApi api, Duration interval, Materializer materializer) {
        this.api = api;
        this.hub = Source.tick(Duration.ZERO, interval, NotUsed.notUsed())
                .mapAsync(1, tick -> snapshot())
                .mapConcat(event -> event.stream().toList())
                .toMat(BroadcastHub.of(Event.class, HUB_BUFFER), (left, right) -> right)
                .run(materializer);
    }

    /** A console's event stream: a fresh snapshot at once, then the shared ones as they are made. */
    public HttpResponse subscribe() {
        long subscribedMillis = System.currentTimeMillis();
        // Snapshots the hub made before this console came are older than its first one: they are skipped.
        Source<ByteString, NotUsed> events = Source.completionStage(snapshot())
                .mapConcat(event -> event.stream().toList())
                .concat(hub.filter(event -> event.madeAtMillis() >= subscribedMillis))
                .map(Event::frame)
                .buffer(PER_CONSOLE_BUFFER, OverflowStrategy.dropHead());
        return HttpResponses.withCors(HttpResponse.create()
                .withStatus(StatusCodes.OK)
                .addHeader(RawHeader.create("Cache-Control", "no-store"))
                .withEntity(HttpEntities.createChunked(ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM), events)));
    }

    /** The stream list as one SSE {@code data:} line, or empty (after a log line) when it could not be made. */
    private CompletionStage<Optional<Event>> snapshot() {
        return api.snapshot().handle((list, failure) -> {
            if (failure != null) {
                log.debug("api events: no stream list this time, {}", failure.toString());
                return Optional.empty();
            }
            byte[] json;
            try {
                json = ApiJson.bytes(list);
            } catch (IllegalStateException e) {
                // Failing here would fail the shared hub and with it every console's stream: skip this one.
                log.warn("api events: the stream list could not be written, {}", e.getMessage());
                return Optional.empty();
            }
            // Compact JSON never contains a raw newline, so the whole list is one data line.
            return Optional.of(new Event(list.serverTimeMillis(), ByteString.fromString("data: ")
                    .concat(ByteString.fromArray(json)).concat(ByteString.fromString("\n\n"))));
        });
    }
}
