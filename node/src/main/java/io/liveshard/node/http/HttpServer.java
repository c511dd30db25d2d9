package io.liveshard.node.http;

import io.liveshard.node.flv.HttpFlvHandler;
import io.liveshard.protocol.media.StreamKey;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP port: HTTP-FLV playback ({@code GET /{app}/{stream}.flv}). Requests are dispatched on the path
 * by hand: the set of endpoints is small and this stays off the routing DSL's per-request allocations.
 */
public final class HttpServer {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    /** {@code /{app}/{stream}.flv}; the parts are validated as a {@link StreamKey} afterwards. */
    private static final Pattern FLV_PATH = Pattern.compile("^/([^/]+)/([^/]+)\\.flv$");

    private final HttpFlvHandler flv;

    public HttpServer(HttpFlvHandler flv) {
        this.flv = flv;
    }

    public CompletionStage<ServerBinding> bind(ActorSystem<?> system, String address, int port) {
        return Http.get(system).newServerAt(address, port).bind(this::handle);
    }

    CompletionStage<HttpResponse> handle(HttpRequest request) {
        String path = request.getUri().path();
        String remote = remoteAddress(request);
        if (request.method() == HttpMethods.OPTIONS) {
            return done(HttpResponses.preflight());
        }
        Matcher flvMatch = FLV_PATH.matcher(path);
        if (flvMatch.matches()) {
            if (request.method() != HttpMethods.GET && request.method() != HttpMethods.HEAD) {
                return done(HttpResponses.text(StatusCodes.METHOD_NOT_ALLOWED, "use GET for " + path));
            }
            Optional<String> problem = StreamKey.problem(flvMatch.group(1), flvMatch.group(2));
            if (problem.isPresent()) {
                log.warn("http {} from {}: refused, {}", request.getUri().path(), remote, problem.get());
                return done(HttpResponses.text(StatusCodes.BAD_REQUEST, "bad stream name: " + problem.get()));
            }
            return flv.play(new StreamKey(flvMatch.group(1), flvMatch.group(2)), remote);
        }
        return done(HttpResponses.text(StatusCodes.NOT_FOUND, "no such resource"));
    }

    private static String remoteAddress(HttpRequest request) {
        return request.getAttribute(AttributeKeys.remoteAddress)
                .flatMap(RemoteAddress::getAddress)
                .map(InetAddress::getHostAddress)
                .orElse("unknown");
    }

    private static CompletionStage<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
