package io.liveshard.node.api;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.qoe.QoeAggregator;
import io.liveshard.node.qoe.QoeBeacon;
import io.liveshard.node.qoe.QoeBeaconException;
import io.liveshard.node.qoe.QoeBeaconParser;
import io.liveshard.node.qoe.QoeMetrics;
import io.liveshard.node.qoe.QoeRateLimiter;
import io.liveshard.node.qoe.QoeSettings;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/qoe}: a web player's QoE report (format in docs/CONSOLE.md). In order: the method and
 * content type, the client's rate, the body size, the report's fields, and that the stream is live on this node;
 * only then does the report reach the metrics and the JSON API. Refusals are 4xx with a one-line reason, counted in
 * {@code liveshard_refusals_total{protocol="qoe"}}.
 */
public final class QoeApi {

    private static final Logger log = LoggerFactory.getLogger(QoeApi.class);
    /** How long the report's body may take to arrive. */
    private static final long BODY_TIMEOUT_MILLIS = 5000;

    private final QoeSettings settings;
    private final QoeRateLimiter rateLimiter;
    private final QoeAggregator aggregator;
    private final QoeMetrics qoeMetrics;
    private final NodeMetrics metrics;
    private final StreamApi streams;
    private final Materializer materializer;

    public QoeApi(QoeSettings settings, QoeRateLimiter rateLimiter, QoeAggregator aggregator, QoeMetrics qoeMetrics,
                  NodeMetrics metrics, StreamApi streams, Materializer materializer) {
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.aggregator = aggregator;
        this.qoeMetrics = qoeMetrics;
        this.metrics = metrics;
        this.streams = streams;
        this.materializer = materializer;
    }

    public CompletionStage<HttpResponse> report(HttpRequest request, String remote) {
        if (request.method() != HttpMethods.POST) {
            return refuse(request, StatusCodes.METHOD_NOT_ALLOWED, "method", "POST a QoE report as JSON");
        }
        // text/plain too: navigator.sendBeacon cannot send application/json to another origin without a preflight.
        String mediaType = request.entity().getContentType().mediaType().toString();
        if (!mediaType.equals("application/json") && !mediaType.equals("text/plain")) {
            return refuse(request, StatusCodes.UNSUPPORTED_MEDIA_TYPE, "content-type",
                    "send the report as application/json");
        }
        if (!rateLimiter.tryAcquire(remote, System.nanoTime())) {
            return refuse(request, StatusCodes.TOO_MANY_REQUESTS, "rate", "too many QoE reports from " + remote);
        }
        if (request.entity().getContentLengthOption().orElse(0L) > settings.maxBodyBytes()) {
            return refuse(request, StatusCodes.PAYLOAD_TOO_LARGE, "too-large",
                    "a QoE report may have at most " + settings.maxBodyBytes() + " bytes");
        }
        // Only a body that cannot be read is the client's fault; a failure after it (the stream check) is the node's.
        return request.entity().toStrict(BODY_TIMEOUT_MILLIS, settings.maxBodyBytes(), materializer)
                .handle((strict, failure) -> failure != null
                        ? CompletableFuture.completedFuture(bodyFailure(failure, remote))
                        : accept(strict.getData().toArray(), remote).exceptionally(error -> {
                            log.warn("qoe report from {}: not recorded, {}", remote, error.toString());
                            return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE,
                                    "the report could not be recorded now");
                        }))
                .thenCompose(response -> response);
    }

    private CompletionStage<HttpResponse> accept(byte[] body, String remote) {
        QoeBeacon beacon;
        try {
            beacon = QoeBeaconParser.parse(body);
        } catch (QoeBeaconException e) {
            metrics.refused("qoe", "bad-report");
            log.debug("qoe report from {}: refused, {}", remote, e.getMessage());
            return CompletableFuture.completedFuture(
                    HttpResponses.text(StatusCodes.BAD_REQUEST, "bad QoE report: " + e.getMessage()));
        }
        return streams.isLive(beacon.stream()).thenApply(live -> {
            if (!live) {
                metrics.refused("qoe", "not-live");
                log.debug("qoe report from {}: refused, stream {} is not live here", remote, beacon.stream());
                return HttpResponses.text(StatusCodes.NOT_FOUND, "stream " + beacon.stream() + " is not live here");
            }
            // The metrics bound their stream labels themselves; the JSON API's store may be full.
            qoeMetrics.record(beacon);
            if (!aggregator.record(beacon, System.nanoTime())) {
                metrics.refused("qoe", "api-full");
                log.debug("qoe report for {}: kept in /metrics only, liveshard.qoe.max-streams streams already have "
                        + "reports in the API", beacon.stream());
            }
            return HttpResponses.withCors(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
        });
    }

    private HttpResponse bodyFailure(Throwable failure, String remote) {
        // The size limit's exception arrives wrapped (by the future, and by the entity stream for chunked bodies).
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // A chunked body over the server's content-length limit fails in the request parser instead, as an
            // entity stream error whose summary names the size (Pekko HTTP has no dedicated type for it).
            boolean parserLimit = cause instanceof EntityStreamException streamError
                    && streamError.info().summary().startsWith("Request too large");
            if (cause instanceof EntityStreamSizeException || parserLimit) {
                metrics.refused("qoe", "too-large");
                log.info("qoe report from {} refused: body over {} bytes", remote, settings.maxBodyBytes());
                return HttpResponses.text(StatusCodes.PAYLOAD_TOO_LARGE,
                        "a QoE report may have at most " + settings.maxBodyBytes() + " bytes");
            }
        }
        metrics.refused("qoe", "unreadable");
        log.info("qoe report from {} refused: body unreadable, {}", remote, failure.toString());
        return HttpResponses.text(StatusCodes.BAD_REQUEST, "the report could not be read");
    }

    private CompletionStage<HttpResponse> refuse(HttpRequest request, StatusCode status, String reason,
                                                 String line) {
        metrics.refused("qoe", reason);
        return HttpResponses.afterDiscardingBody(request, materializer, BODY_TIMEOUT_MILLIS,
                HttpResponses.text(status, line));
    }
}
