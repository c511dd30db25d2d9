package io.liveshard.node.api;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.qoe.QoeAggregator;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamStatus;
import io.liveshard.protocol.media.StreamKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.ToIntFunction;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * {@code GET /api/v1/streams}: the live streams on this node; {@code GET /api/v1/streams/{app}/{stream}}: one
 * stream's state, viewers per protocol, server-side latency and players' QoE as JSON; and {@code GET /api/v1/time},
 * the node's clock. HLS viewers are not connections but clients whose requests were recent, counted by the HLS
 * outputs.
 */
public final class StreamApi {

    /** The protocols whose viewers hold a connection (counted by the stream entity), as the API names them. */
    private static final List<String> CONNECTION_PROTOCOLS = List.of("rtmp", "http-flv", "artc");

    private final StreamDirectory streams;
    private final Map<String, ToIntFunction<StreamKey>> requestViewers;
    private final Set<String> notViewers;
    private final ClusterApi cluster;
    private final ManagementApi management;
    private final TrafficApi traffic;
    private final LiveStreamIndex index;
    private final ServerLatencyWindow serverLatency;
    private final QoeAggregator qoe;
    private final StreamHistory history;

    /**
     * @param requestViewers per request-based protocol ("hls", "ll-hls"), how many clients watch a stream; these
     *                       replace the entity's count for that protocol, which only sees the one muxer
     * @param notViewers     subscriber names that feed an output rather than a viewer (the artc audio transcoder):
     *                       left out of the viewer counts
     */
    public StreamApi(StreamDirectory streams, Map<String, ToIntFunction<StreamKey>> requestViewers,
                     Set<String> notViewers, LiveStreamIndex index, ServerLatencyWindow serverLatency,
                     QoeAggregator qoe, ClusterApi cluster, TrafficApi traffic, StreamHistory history) {
        this.cluster = cluster;
        this.history = history;
        this.management = new ManagementApi(streams.clients());
        this.traffic = traffic;
        this.streams = streams;
        this.notViewers = Set.copyOf(notViewers);
        this.requestViewers = Map.copyOf(requestViewers);
        this.index = index;
        this.serverLatency = serverLatency;
        this.qoe = qoe;
    }

    /** Kicks, forbids and client lists ({@link ManagementApi}). */
    public ManagementApi management() {
        return management;
    }

    /** {@code GET /api/v1/traffic}. */
    public HttpResponse traffic(Optional<String> minutes) {
        return traffic.traffic(minutes);
    }

    /** Takes one sample of every live stream for {@code GET .../history}. */
    public CompletionStage<Void> sampleHistory() {
        return snapshot().thenAccept(history::record);
    }

    /** {@code GET /api/v1/streams/{app}/{stream}/history}: the stream's last minutes, oldest sample first. */
    public HttpResponse history(StreamKey key) {
        return history.history(key).map(body -> ApiJson.ok(body).addHeader(RawHeader.create("Cache-Control",
                        "no-store")))
                .orElseGet(() -> HttpResponses.text(StatusCodes.NOT_FOUND, "no history of stream " + key
                        + " on this node: it has not been live here in the last minutes"));
    }

    /** {@code GET /api/v1/cluster}. */
    public CompletionStage<HttpResponse> cluster() {
        return cluster.view();
    }

    public CompletionStage<HttpResponse> stream(StreamKey key) {
        return streams.status(key).handle((status, failure) -> {
            if (failure != null) {
                return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, "stream " + key + " did not answer");
            }
            if (!status.live()) {
                return HttpResponses.text(StatusCodes.NOT_FOUND, "stream " + key + " is not live");
            }
            return ApiJson.ok(view(key, status));
        });
    }

    /** The live streams on this node, sorted by name; a stream whose entity does not answer in time is left out. */
    public CompletionStage<HttpResponse> list() {
        return snapshot().handle((list, failure) -> failure != null
                ? HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, "the stream list is not available: "
                        + failure.getMessage())
                : ApiJson.ok(list).addHeader(RawHeader.create("Cache-Control", "no-store")));
    }

    /** The live streams on this node now, as {@link #list} and the event stream show them. */
    public CompletionStage<StreamList> snapshot() {
        return liveViews().thenApply(views -> new StreamList(System.currentTimeMillis(), views));
    }

    /** This node's viewers by protocol, summed over its live streams (what the cluster view shows per node). */
    public CompletionStage<Map<String, Integer>> viewersByProtocol() {
        return liveViews().thenApply(views -> {
            Map<String, Integer> total = new TreeMap<>();
            views.forEach(view -> view.viewers().forEach((protocol, count) -> total.merge(protocol, count,
                    Integer::sum)));
            return total;
        });
    }

    /** {@code GET /api/v1/streams}: the node's clock when the list was made, and the live streams. */
    public record StreamList(long serverTimeMillis, List<StreamView> streams) {}

    /** Whether {@code key} is a live stream on this node, without starting an entity for an unknown name. */
    public CompletionStage<Boolean> isLive(StreamKey key) {
        return index.entities().thenCompose(keys -> keys.contains(key)
                ? streams.status(key).thenApply(StreamStatus::live)
                : CompletableFuture.completedFuture(false));
    }

    /**
     * {@code GET /api/v1/time}: the node's wall clock, so that a player can estimate its clock offset NTP-style
     * (offset = server time − the midpoint of its request and response times) before it turns ingest timestamps
     * into end-to-end latency.
     */
    public HttpResponse time() {
        return ApiJson.ok(new NodeTime(System.currentTimeMillis()))
                .addHeader(RawHeader.create("Cache-Control", "no-store"));
    }

    /** The node's wall clock in milliseconds since the Unix epoch. */
    public record NodeTime(long serverTimeMillis) {}

    private CompletionStage<List<StreamView>> liveViews() {
        return index.entities().thenCompose(keys -> {
            List<CompletableFuture<Optional<StreamView>>> views = keys.stream()
                    .map(key -> streams.status(key).toCompletableFuture()
                            .handle((status, failure) -> failure == null && status.live()
                                    ? Optional.of(view(key, status)) : Optional.<StreamView>empty()))
                    .toList();
            return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
                    .thenApply(done -> views.stream().map(CompletableFuture::join).flatMap(Optional::stream)
                            .sorted(Comparator.comparing(StreamView::app).thenComparing(StreamView::stream))
                            .toList());
        });
    }

    private StreamView view(StreamKey key, StreamStatus status) {
        Map<String, Integer> viewers = new TreeMap<>(status.viewers());
        viewers.keySet().removeAll(notViewers);
        // Every protocol is named, with 0 where nobody watches over it, so that clients read one shape.
        CONNECTION_PROTOCOLS.forEach(protocol -> viewers.putIfAbsent(protocol, 0));
        requestViewers.forEach((protocol, count) -> viewers.put(protocol, count.applyAsInt(key)));
        return new StreamView(key.app(), key.stream(), status.live(), status.publishing(), status.publisherAddress(),
                status.stats().videoCodec() == null ? null : status.stats().videoCodec().name(),
                status.stats().audioCodec() == null ? null : status.stats().audioCodec().name(),
                VideoFormat.of(status.stats().videoConfig()),
                status.stats().framesIn(), status.stats().bytesIn(), viewers, serverLatency.summary(key),
                qoe.summary(key, System.nanoTime()), status.liveSinceMillis());
    }
}
