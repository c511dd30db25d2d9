package io.liveshard.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamStatus;
import io.liveshard.protocol.media.StreamKey;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.ToIntFunction;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * {@code GET /api/v1/streams/{app}/{stream}}: a stream's state and its viewers per protocol as JSON; and
 * {@code GET /api/v1/time}, the node's clock. HLS viewers
 * are not connections but clients whose requests were recent, counted by the HLS outputs.
 */
public final class StreamApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamDirectory streams;
    private final Map<String, ToIntFunction<StreamKey>> requestViewers;

    /**
     * @param requestViewers per request-based protocol ("hls", "ll-hls"), how many clients watch a stream; these
     *                       replace the entity's count for that protocol, which only sees the one muxer
     */
    public StreamApi(StreamDirectory streams, Map<String, ToIntFunction<StreamKey>> requestViewers) {
        this.streams = streams;
        this.requestViewers = Map.copyOf(requestViewers);
    }

    public CompletionStage<HttpResponse> stream(StreamKey key) {
        return streams.status(key).handle((status, failure) -> {
            if (failure != null) {
                return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, "stream " + key + " did not answer");
            }
            if (!status.live()) {
                return HttpResponses.text(StatusCodes.NOT_FOUND, "stream " + key + " is not live");
            }
            return json(view(key, status));
        });
    }

    /**
     * {@code GET /api/v1/time}: the node's wall clock, so that a player can estimate its clock offset NTP-style
     * (offset = server time − the midpoint of its request and response times) before it turns ingest timestamps
     * into end-to-end latency.
     */
    public HttpResponse time() {
        return json(new NodeTime(System.currentTimeMillis()))
                .addHeader(RawHeader.create("Cache-Control", "no-store"));
    }

    /** The node's wall clock in milliseconds since the Unix epoch. */
    public record NodeTime(long serverTimeMillis) {}

    private StreamView view(StreamKey key, StreamStatus status) {
        Map<String, Integer> viewers = new TreeMap<>(status.viewers());
        requestViewers.forEach((protocol, count) -> viewers.put(protocol, count.applyAsInt(key)));
        return new StreamView(key.app(), key.stream(), status.live(), status.publishing(), status.publisherAddress(),
                status.stats().videoCodec() == null ? null : status.stats().videoCodec().name(),
                status.stats().audioCodec() == null ? null : status.stats().audioCodec().name(),
                status.stats().framesIn(), status.stats().bytesIn(), viewers);
    }

    private static HttpResponse json(Object value) {
        try {
            return HttpResponses.withCors(HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(value)));
        } catch (JsonProcessingException e) {
            return HttpResponses.text(StatusCodes.INTERNAL_SERVER_ERROR, "could not write JSON: " + e.getMessage());
        }
    }
}
