package io.liveshard.node.http;

import io.liveshard.node.api.ApiToken;
import io.liveshard.node.api.QoeApi;
import io.liveshard.node.api.StreamApi;
import io.liveshard.node.api.StreamEvents;
import io.liveshard.node.artc.WhepHandler;
import io.liveshard.node.auth.AuthQuery;
import io.liveshard.node.auth.SignedUrlAuth;
import io.liveshard.node.console.StaticAssets;
import io.liveshard.node.flv.HttpFlvHandler;
import io.liveshard.node.hls.HlsHandler;
import io.liveshard.node.hooks.HookDecision;
import io.liveshard.node.hooks.HookEvent;
import io.liveshard.node.hooks.HookRequest;
import io.liveshard.node.hooks.Webhooks;
import io.liveshard.node.hls.LlHlsHandler;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.net.EventLoops;
import io.liveshard.node.net.TcpConnection;
import io.liveshard.node.net.TcpListener;
import io.liveshard.protocol.media.StreamKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP port: HTTP-FLV ({@code GET /{app}/{stream}.flv}), classic HLS ({@code .m3u8}, {@code .ts}) and
 * Low-Latency HLS ({@code /ll.m3u8}, {@code /ll/...}), the stream API ({@code /api/v1/streams/...}) and its
 * server-sent events ({@code /api/v1/events}, both behind the optional API token), players' QoE
 * reports ({@code /api/v1/qoe}), the web player and ops console ({@code /player/}, {@code /console/}) and Prometheus
 * metrics ({@code /metrics}). With signed URLs switched on ({@code liveshard.auth.play.enabled}), every playback
 * request (FLV, playlists, segments, parts, WHEP offers) needs a valid {@code ?auth_key=}; playlists then carry the
 * viewer's {@code auth_key} in their URIs so that segment and part requests present it too. With play webhooks
 * configured ({@code liveshard.hooks.urls.play}), an HTTP-FLV request, a WHEP offer and the playlist request of a
 * new HLS or LL-HLS client wait for the hooks' decision; a denial is answered 403 with the hook's reason.
 * Requests are dispatched on the path by hand: the set of endpoints is small and this stays off the routing DSL's
 * per-request allocations.
 */
public final class HttpServer {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    /** {@code /{app}/{stream}.flv}; the parts are validated as a {@link StreamKey} afterwards. */
    private static final Pattern FLV_PATH = Pattern.compile("^/([^/]+)/([^/]+)\\.flv$");
    /** {@code /{app}/{stream}.m3u8}: the classic HLS media playlist. */
    private static final Pattern HLS_PLAYLIST_PATH = Pattern.compile("^/([^/]+)/([^/]+)\\.m3u8$");
    /** {@code /api/v1/streams/{app}/{stream}}: a stream's state as JSON. */
    private static final Pattern API_STREAM_PATH = Pattern.compile("^/api/v1/streams/([^/]+)/([^/]+)$");
    /** {@code /api/v1/streams/{app}/{stream}/history}: the stream's last minutes of viewers and latency (GET). */
    private static final Pattern API_HISTORY_PATH = Pattern.compile("^/api/v1/streams/([^/]+)/([^/]+)/history$");
    /** {@code /api/v1/streams/{app}/{stream}/clients}: who publishes and watches (GET). */
    private static final Pattern API_CLIENTS_PATH = Pattern.compile("^/api/v1/streams/([^/]+)/([^/]+)/clients$");
    /** {@code /api/v1/streams/{app}/{stream}/forbid} and {@code .../resume} (POST). */
    private static final Pattern API_FORBID_PATH = Pattern.compile("^/api/v1/streams/([^/]+)/([^/]+)/(forbid|resume)$");
    /** {@code /api/v1/clients/{id}/kick} (POST). */
    private static final Pattern API_KICK_PATH = Pattern.compile("^/api/v1/clients/([0-9]{1,18})/kick$");
    /** {@code /{app}/{stream}/whep}: artc (WebRTC) offers. */
    private static final Pattern WHEP_PATH = Pattern.compile("^/([^/]+)/([^/]+)/whep$");
    /** {@code /{app}/{stream}/whep/{session}}: one artc session. */
    private static final Pattern WHEP_SESSION_PATH = Pattern.compile("^/([^/]+)/([^/]+)/whep/([A-Za-z0-9]{1,64})$");
    /** How long a WHEP offer's body, or a refused request's body being discarded, may take to arrive. */
    private static final long OFFER_TIMEOUT_MILLIS = 5000;
    /** {@code /{app}/{stream}/ll.m3u8}: the Low-Latency HLS playlist. */
    private static final Pattern LL_PLAYLIST_PATH = Pattern.compile("^/([^/]+)/([^/]+)/ll\\.m3u8$");
    /** {@code /{app}/{stream}/ll/{name}}: LL-HLS init segments, segments and parts. */
    private static final Pattern LL_RESOURCE_PATH = Pattern.compile("^/([^/]+)/([^/]+)/ll/([^/]+)$");
    /** {@code /{app}/{stream}/{sequence}.ts}: a classic HLS segment. */
    private static final Pattern HLS_SEGMENT_PATH = Pattern.compile("^/([^/]+)/([^/]+)/([^/]+)\\.ts$");

    private final HttpFlvHandler flv;
    private final HlsHandler hls;
    private final LlHlsHandler llHls;
    private final StreamApi api;
    private final WhepHandler whep;
    private final NodeMetrics metrics;
    private final Materializer materializer;
    private final QoeApi qoe;
    private final StaticAssets assets;
    private final StreamEvents events;
    private final ApiToken apiToken;
    private final SignedUrlAuth auth;
    private final Webhooks hooks;
    /** Numbers the WHEP offers, for the client id of their play webhook. */
    private final AtomicLong offerIds = new AtomicLong();
    /** {@code liveshard.http-flv.enabled}: off answers HTTP-FLV requests 404 (e.g. to test players' fallbacks). */
    private final boolean httpFlvEnabled;

    public HttpServer(HttpFlvHandler flv, HlsHandler hls, LlHlsHandler llHls, StreamApi api, WhepHandler whep,
                      NodeMetrics metrics, Materializer materializer, QoeApi qoe, StaticAssets assets,
                      boolean httpFlvEnabled, StreamEvents events, ApiToken apiToken, SignedUrlAuth auth,
                      Webhooks hooks) {
        this.events = events;
        this.hooks = hooks;
        this.auth = auth;
        this.apiToken = apiToken;
        this.qoe = qoe;
        this.assets = assets;
        this.httpFlvEnabled = httpFlvEnabled;
        this.flv = flv;
        this.hls = hls;
        this.llHls = llHls;
        this.api = api;
        this.whep = whep;
        this.metrics = metrics;
        this.materializer = materializer;
    }

    /** A bound HTTP port. */
    public interface Binding {
        InetSocketAddress localAddress();

        /** Stops accepting; connections already open are given {@code grace} to finish where that is possible. */
        CompletionStage<?> stop(Duration grace);
    }

    /**
     * Binds the HTTP port. Plain HTTP runs on the node's event loops (HTTP-FLV players straight from the socket,
     * everything else through Pekko HTTP's server layer); HTTPS is Pekko HTTP's own binding.
     */
    public CompletionStage<Binding> bind(ActorSystem<?> system, String address, int port, TlsSettings tls,
                                         EventLoops loops) {
        if (tls.enabled()) {
            Function<HttpRequest, CompletionStage<HttpResponse>> handler = request -> handle(request, Optional.empty());
            return Http.get(system).newServerAt(address, port)
                    .enableHttps(ConnectionContext.httpsServer(tls.sslContext()))
                    .bind(handler)
                    .thenApply(binding -> new Binding() {
                        @Override
                        public InetSocketAddress localAddress() {
                            return binding.localAddress();
                        }

                        @Override
                        public CompletionStage<?> stop(Duration grace) {
                            return binding.terminate(grace);
                        }
                    });
        }
        HttpConnectionRouter router = new HttpConnectionRouter(system, materializer, this::handle);
        // The same bound as Pekko HTTP's own binding: pekko.http.server.max-connections.
        int maxConnections = system.settings().config().getInt("pekko.http.server.max-connections");
        return TcpListener.bind(loops, new InetSocketAddress(address, port), maxConnections, router).thenApply(listener ->
                new Binding() {
                    @Override
                    public InetSocketAddress localAddress() {
                        return listener.localAddress();
                    }

                    @Override
                    public CompletionStage<?> stop(Duration grace) {
                        return listener.unbind();
                    }
                });
    }

    /**
     * Answers one request. {@code connection} is there when the request is the first on a plain connection and may
     * be played on directly (HTTP-FLV).
     */
    CompletionStage<HttpResponse> handle(HttpRequest request, Optional<TcpConnection> connection) {
        String path = request.getUri().path();
        String remote = remoteAddress(request);
        if (request.method() == HttpMethods.OPTIONS) {
            return done(HttpResponses.preflight());
        }
        if (path.equals("/metrics") && request.method() == HttpMethods.GET) {
            return done(metricsResponse());
        }
        Optional<HttpResponse> unauthorized = apiToken.refusal(request, path, remote);
        if (unauthorized.isPresent()) {
            return refusedUnread(request, unauthorized.get());
        }
        if (path.equals("/api/v1/time") && request.method() == HttpMethods.GET) {
            return done(api.time());
        }
        if (path.equals("/api/v1/traffic") && request.method() == HttpMethods.GET) {
            return done(api.traffic(request.getUri().query().get("minutes")));
        }
        if (path.equals("/api/v1/cluster") && request.method() == HttpMethods.GET) {
            return api.cluster();
        }
        if (path.equals("/api/v1/streams") && request.method() == HttpMethods.GET) {
            return api.list();
        }
        if (path.equals("/api/v1/events") && request.method() == HttpMethods.GET) {
            return done(events.subscribe());
        }
        if (path.equals("/api/v1/qoe")) {
            return qoe.report(request, remote);
        }
        if (StaticAssets.handles(path)) {
            return done(assets.serve(request));
        }
        Matcher whepMatch = WHEP_PATH.matcher(path);
        if (whepMatch.matches()) {
            return whepOffer(request, whepMatch, remote);
        }
        Matcher whepSession = WHEP_SESSION_PATH.matcher(path);
        if (whepSession.matches()) {
            Optional<StreamKey> key = Optional.empty();
            if (request.method() == HttpMethods.DELETE) {
                Optional<String> problem = StreamKey.problem(whepSession.group(1), whepSession.group(2));
                if (problem.isEmpty()) {
                    key = Optional.of(new StreamKey(whepSession.group(1), whepSession.group(2)));
                }
            }
            if (request.method() == HttpMethods.PATCH) {
                return done(HttpResponses.text(StatusCodes.METHOD_NOT_ALLOWED,
                        "this server is ICE-lite: it gathers no candidates and takes no trickled ones"));
            }
            if (key.isEmpty()) {
                return done(HttpResponses.text(request.method() == HttpMethods.DELETE ? StatusCodes.BAD_REQUEST
                        : StatusCodes.METHOD_NOT_ALLOWED, "use DELETE to end an artc session"));
            }
            return whep.delete(key.get(), whepSession.group(3));
        }
        if (path.startsWith("/api/v1/")) {
            Optional<CompletionStage<HttpResponse>> managed = management(request, path, remote);
            if (managed.isPresent()) {
                return managed.get();
            }
        }
        Matcher historyMatch = API_HISTORY_PATH.matcher(path);
        if (historyMatch.matches()) {
            if (request.method() != HttpMethods.GET) {
                return refusedUnread(request, onlyWith("GET", path));
            }
            Optional<StreamKey> key = streamKey(request, historyMatch, remote);
            return key.isEmpty() ? badName(request, historyMatch) : done(api.history(key.get()));
        }
        Matcher apiMatch = API_STREAM_PATH.matcher(path);
        if (apiMatch.matches()) {
            Optional<StreamKey> key = streamKey(request, apiMatch, remote);
            return key.isEmpty() ? badName(request, apiMatch) : api.stream(key.get());
        }
        Matcher flvMatch = FLV_PATH.matcher(path);
        if (flvMatch.matches() && !httpFlvEnabled) {
            return done(HttpResponses.text(StatusCodes.NOT_FOUND, "HTTP-FLV is switched off on this node"));
        }
        if (flvMatch.matches()) {
            Optional<StreamKey> key = streamKey(request, flvMatch, remote);
            if (key.isEmpty()) {
                return badName(request, flvMatch);
            }
            Optional<String> refusal = playRefusal(request, "http-flv", key.get(), remote);
            if (refusal.isPresent()) {
                return forbidden(refusal.get());
            }
            HookRequest viewer = new HookRequest(key.get(), "http-flv", remote, HttpFlvHandler.newViewerId(remote),
                    request.getUri().query().toMap());
            return afterPlayHook(viewer, Optional.empty(), () -> connection.isPresent()
                    ? flv.playDirectly(viewer, connection.get()) : flv.play(viewer));
        }
        Matcher playlistMatch = HLS_PLAYLIST_PATH.matcher(path);
        if (playlistMatch.matches()) {
            Optional<StreamKey> key = streamKey(request, playlistMatch, remote);
            if (key.isEmpty()) {
                return badName(request, playlistMatch);
            }
            Optional<String> refusal = playRefusal(request, "hls", key.get(), remote);
            if (refusal.isPresent()) {
                return forbidden(refusal.get());
            }
            String client = client(request, remote);
            return afterPlayHook(new HookRequest(key.get(), "hls", remote, client, request.getUri().query().toMap()),
                    Optional.of(client), () -> hls.playlist(key.get(), uriQuery(request), client));
        }
        Matcher llPlaylistMatch = LL_PLAYLIST_PATH.matcher(path);
        if (llPlaylistMatch.matches()) {
            Optional<StreamKey> key = streamKey(request, llPlaylistMatch, remote);
            if (key.isEmpty()) {
                return badName(request, llPlaylistMatch);
            }
            Optional<String> refusal = playRefusal(request, "ll-hls", key.get(), remote);
            if (refusal.isPresent()) {
                return forbidden(refusal.get());
            }
            String client = client(request, remote);
            return afterPlayHook(new HookRequest(key.get(), "ll-hls", remote, client,
                            request.getUri().query().toMap()), Optional.of(client),
                    () -> llHls.playlist(key.get(), request.getUri().query().get("_HLS_msn"),
                            request.getUri().query().get("_HLS_part"), uriQuery(request), client));
        }
        Matcher llResourceMatch = LL_RESOURCE_PATH.matcher(path);
        if (llResourceMatch.matches()) {
            Optional<StreamKey> key = streamKey(request, llResourceMatch, remote);
            if (key.isEmpty()) {
                return badName(request, llResourceMatch);
            }
            Optional<String> refusal = playRefusal(request, "ll-hls", key.get(), remote);
            return refusal.isPresent() ? forbidden(refusal.get())
                    : llHls.resource(key.get(), llResourceMatch.group(3), client(request, remote));
        }
        Matcher segmentMatch = HLS_SEGMENT_PATH.matcher(path);
        if (segmentMatch.matches()) {
            Optional<StreamKey> key = streamKey(request, segmentMatch, remote);
            if (key.isEmpty()) {
                return badName(request, segmentMatch);
            }
            Optional<String> refusal = playRefusal(request, "hls", key.get(), remote);
            return refusal.isPresent() ? forbidden(refusal.get())
                    : hls.segment(key.get(), segmentMatch.group(3), client(request, remote));
        }
        return done(HttpResponses.text(StatusCodes.NOT_FOUND, "no such resource"));
    }

    /**
     * The stream named by the path's first two groups, for a GET or HEAD; empty (after one log line) when the
     * method or the name is refused.
     */
    private Optional<StreamKey> streamKey(HttpRequest request, Matcher match, String remote) {
        if (request.method() != HttpMethods.GET && request.method() != HttpMethods.HEAD) {
            return Optional.empty();
        }
        Optional<String> problem = StreamKey.problem(match.group(1), match.group(2));
        if (problem.isPresent()) {
            metrics.refused("http", "bad-name");
            log.warn("http {} from {}: refused, {}", request.getUri().path(), remote, problem.get());
            return Optional.empty();
        }
        return Optional.of(new StreamKey(match.group(1), match.group(2)));
    }

    /** Why {@code request} may not play {@code key} (signed URLs), or empty when it may. */
    private Optional<String> playRefusal(HttpRequest request, String protocol, StreamKey key, String remote) {
        return auth.refusal(SignedUrlAuth.Action.PLAY, protocol, key, authKey(request), remote);
    }

    /**
     * {@code play} once the play webhooks allowed {@code viewer} (at once when there are none), else 403 with the
     * hook's reason. {@code hlsViewer}: an HLS client (address and user agent), asked about only when new.
     */
    private CompletionStage<HttpResponse> afterPlayHook(HookRequest viewer, Optional<String> hlsViewer,
                                                        Supplier<CompletionStage<HttpResponse>> play) {
        if (!hooks.enabled(HookEvent.PLAY)) {
            return play.get();
        }
        CompletionStage<HookDecision> decision = hlsViewer.isPresent()
                ? hooks.decidePlaylist(viewer, hlsViewer.get()) : hooks.decide(HookEvent.PLAY, viewer);
        return decision.thenCompose(answer -> answer.allowed() ? play.get() : forbidden(answer.reason()));
    }

    private static Optional<String> authKey(HttpRequest request) {
        return request.getUri().query().get(AuthQuery.PARAMETER);
    }

    /** What an authorised playlist appends to its URIs: the viewer's {@code auth_key}, when play checks are on. */
    private String uriQuery(HttpRequest request) {
        return auth.playlistUriQuery(authKey(request));
    }

    private static CompletionStage<HttpResponse> forbidden(String reason) {
        return done(HttpResponses.text(StatusCodes.FORBIDDEN, reason));
    }

    private static CompletionStage<HttpResponse> badName(HttpRequest request, Matcher match) {
        if (request.method() != HttpMethods.GET && request.method() != HttpMethods.HEAD) {
            return done(HttpResponses.text(StatusCodes.METHOD_NOT_ALLOWED, "use GET for " + request.getUri().path()));
        }
        return done(HttpResponses.text(StatusCodes.BAD_REQUEST,
                "bad stream name: " + StreamKey.problem(match.group(1), match.group(2)).orElse("refused")));
    }

    private CompletionStage<HttpResponse> whepOffer(HttpRequest request, Matcher match, String remote) {
        if (request.method() != HttpMethods.POST) {
            return refusedUnread(request,
                    HttpResponses.text(StatusCodes.METHOD_NOT_ALLOWED, "POST an SDP offer to start artc"));
        }
        Optional<String> problem = StreamKey.problem(match.group(1), match.group(2));
        if (problem.isPresent()) {
            metrics.refused("http", "bad-name");
            log.warn("http {} from {}: refused, {}", request.getUri().path(), remote, problem.get());
            return refusedUnread(request,
                    HttpResponses.text(StatusCodes.BAD_REQUEST, "bad stream name: " + problem.get()));
        }
        StreamKey key = new StreamKey(match.group(1), match.group(2));
        Optional<String> refusal = playRefusal(request, "artc", key, remote);
        if (refusal.isPresent()) {
            return refusedUnread(request, HttpResponses.text(StatusCodes.FORBIDDEN, refusal.get()));
        }
        if (!request.entity().getContentType().mediaType().toString().equals("application/sdp")) {
            metrics.refused("artc", "not-sdp");
            log.warn("whep {} from {}: refused, the offer came as {}", key, remote,
                    request.entity().getContentType().mediaType());
            return refusedUnread(request,
                    HttpResponses.text(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "send the offer as application/sdp"));
        }
        if (request.entity().getContentLengthOption().orElse(0L) > WhepHandler.MAX_OFFER_BYTES) {
            metrics.refused("artc", "offer-too-large");
            log.warn("whep {} from {}: refused, offer over {} bytes", key, remote, WhepHandler.MAX_OFFER_BYTES);
            return refusedUnread(request, HttpResponses.text(StatusCodes.BAD_REQUEST,
                    "the offer is larger than " + WhepHandler.MAX_OFFER_BYTES + " bytes"));
        }
        HookRequest viewer = new HookRequest(key, "artc", remote, "artc-" + offerIds.incrementAndGet() + "@" + remote,
                request.getUri().query().toMap());
        return request.entity().toStrict(OFFER_TIMEOUT_MILLIS, WhepHandler.MAX_OFFER_BYTES, materializer)
                .thenCompose(strict -> afterPlayHook(viewer, Optional.empty(),
                        () -> whep.offer(key, strict.getData().toArray(), remote,
                                () -> hooks.notify(HookEvent.STOP, viewer))))
                .exceptionally(failure -> {
                    log.warn("whep {} from {}: refused, the offer could not be read: {}", key, remote,
                            failure.getMessage());
                    return HttpResponses.text(StatusCodes.BAD_REQUEST,
                            "the offer could not be read: " + failure.getMessage());
                });
    }

    /** The management API's routes; empty when {@code path} is none of them. */
    private Optional<CompletionStage<HttpResponse>> management(HttpRequest request, String path, String remote) {
        Matcher clients = API_CLIENTS_PATH.matcher(path);
        Matcher forbid = API_FORBID_PATH.matcher(path);
        Matcher kick = API_KICK_PATH.matcher(path);
        boolean post = request.method() == HttpMethods.POST;
        HttpResponse response;
        if (path.equals("/api/v1/forbidden")) {
            response = request.method() == HttpMethods.GET ? api.management().forbidden() : onlyWith("GET", path);
        } else if (clients.matches() || forbid.matches()) {
            Matcher match = clients.matches() ? clients : forbid;
            Optional<String> problem = StreamKey.problem(match.group(1), match.group(2));
            StreamKey key = problem.isEmpty() ? new StreamKey(match.group(1), match.group(2)) : null;
            if (key == null) {
                response = HttpResponses.text(StatusCodes.BAD_REQUEST, "bad stream name: " + problem.get());
            } else if (clients.matches()) {
                response = request.method() == HttpMethods.GET ? api.management().clients(key)
                        : onlyWith("GET", path);
            } else if (!post) {
                response = onlyWith("POST", path);
            } else {
                response = forbid.group(3).equals("forbid")
                        ? api.management().forbid(key, request.getUri().query().get("seconds"), remote)
                        : api.management().resume(key, remote);
            }
        } else if (kick.matches()) {
            response = post ? api.management().kick(kick.group(1), remote) : onlyWith("POST", path);
        } else {
            return Optional.empty();
        }
        return Optional.of(refusedUnread(request, response));
    }

    private static HttpResponse onlyWith(String method, String path) {
        return HttpResponses.text(StatusCodes.METHOD_NOT_ALLOWED, "use " + method + " for " + path);
    }

    private HttpResponse metricsResponse() {
        ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
        try {
            metrics.writeText(text);
        } catch (IOException e) {
            return HttpResponses.text(StatusCodes.INTERNAL_SERVER_ERROR, "metrics could not be written: " + e);
        }
        return HttpResponse.create().withStatus(StatusCodes.OK)
                .withEntity(ContentTypes.parse(metrics.contentType()), text.toByteArray());
    }

    /** Who an HLS request comes from, for counting HLS viewers: address and user agent. */
    private static String client(HttpRequest request, String remote) {
        return remote + " " + request.getHeader("User-Agent").map(h -> h.value()).orElse("");
    }

    private static String remoteAddress(HttpRequest request) {
        return request.getAttribute(AttributeKeys.remoteAddress)
                .flatMap(RemoteAddress::getAddress)
                .map(InetAddress::getHostAddress)
                .orElse("unknown");
    }

    /**
     * {@code response} to a request whose body is not read: answered once the body has been discarded (see
     * {@link HttpResponses#afterDiscardingBody}), so a client still sending it is not reset before the answer.
     */
    private CompletionStage<HttpResponse> refusedUnread(HttpRequest request, HttpResponse response) {
        return HttpResponses.afterDiscardingBody(request, materializer, OFFER_TIMEOUT_MILLIS, response);
    }

    private static CompletionStage<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
