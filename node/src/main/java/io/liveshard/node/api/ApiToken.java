package io.liveshard.node.api;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.metrics.NodeMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code liveshard.api.token}: when set, every request under {@code /api/} needs {@code Authorization: Bearer
 * <token>}, or {@code ?token=<token>} for the console's EventSource (which cannot set headers). Players' two
 * endpoints stay open, {@code POST /api/v1/qoe} and {@code GET /api/v1/time}: they run on viewers' pages, which
 * must not hold the operators' token. An empty token leaves the API open.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so neither the time taken nor the
 * digest's length tells a caller how much of a guess was right.
 */
public final class ApiToken {

    private static final Logger log = LoggerFactory.getLogger(ApiToken.class);
    private static final String BEARER = "Bearer ";

    /** The token's digest, or null when the API is open. */
    private final byte[] expectedDigest;
    private final NodeMetrics metrics;

    public ApiToken(String token, NodeMetrics metrics) {
        this.expectedDigest = token.isEmpty() ? null : digest(token);
        this.metrics = metrics;
    }

    /** Whether {@code request} (to {@code path}) is one that needs the token at all. */
    public static boolean guards(HttpRequest request, String path) {
        if (!path.startsWith("/api/")) {
            return false;
        }
        boolean playerReport = path.equals("/api/v1/qoe") && request.method() == HttpMethods.POST;
        boolean playerClock = path.equals("/api/v1/time") && request.method() == HttpMethods.GET;
        return !playerReport && !playerClock;
    }

    /** The 401 for {@code request}, or empty when it may go on. */
    public Optional<HttpResponse> refusal(HttpRequest request, String path, String remote) {
        if (expectedDigest == null || !guards(request, path)) {
            return Optional.empty();
        }
        Optional<String> presented = request.getHeader("Authorization")
                .map(header -> header.value())
                .filter(value -> value.startsWith(BEARER))
                .map(value -> value.substring(BEARER.length()).trim())
                .or(() -> request.getUri().query().get("token"));
        if (presented.isPresent() && MessageDigest.isEqual(expectedDigest, digest(presented.get()))) {
            return Optional.empty();
        }
        String reason = presented.isEmpty() ? "no API token" : "wrong API token";
        metrics.refused("api", presented.isEmpty() ? "no-token" : "wrong-token");
        log.warn("api {} {} from {}: refused, {}", request.method().value(), path, remote, reason);
        return Optional.of(HttpResponses.text(StatusCodes.UNAUTHORIZED,
                        reason + ": send Authorization: Bearer <token> (or ?token= for event streams)")
                .addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"liveshard-api\"")));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
