package io.liveshard.node.auth;

import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.protocol.media.StreamKey;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's signed-URL policy ({@code liveshard.auth}): whether publishing and playing need an {@code auth_key},
 * and the check itself, which counts and logs every refusal in one line. Protocols ask it before they publish or
 * play and turn a refusal into their own answer (RTMP status, HTTP 403).
 */
public final class SignedUrlAuth {

    private static final Logger log = LoggerFactory.getLogger(SignedUrlAuth.class);

    public enum Action { PUBLISH, PLAY }

    private final AuthSettings settings;
    /** Null when neither check is on. */
    private final SignedUrlVerifier verifier;
    private final NodeMetrics metrics;

    public SignedUrlAuth(AuthSettings settings, NodeMetrics metrics, Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.verifier = settings.publishEnabled() || settings.playEnabled()
                ? new SignedUrlVerifier(settings.key(), settings.secondaryKey(), () -> clock.millis() / 1000)
                : null;
    }

    public boolean enabled(Action action) {
        return action == Action.PUBLISH ? settings.publishEnabled() : settings.playEnabled();
    }

    /**
     * The one-line reason {@code client} may not {@code action} {@code stream} with {@code authKey}, or empty when
     * it may (always, when that check is off).
     *
     * @param protocol a fixed word for the metric and the log line ({@code rtmp}, {@code hls}, ...)
     */
    public Optional<String> refusal(Action action, String protocol, StreamKey stream, Optional<String> authKey,
                                    String client) {
        if (!enabled(action)) {
            return Optional.empty();
        }
        Optional<AuthFailure> failure = verifier.verify(stream, authKey);
        if (failure.isEmpty()) {
            return Optional.empty();
        }
        metrics.refused(protocol, failure.get().reason());
        log.warn("{} {} {} from {}: refused, {}", protocol, action.name().toLowerCase(), stream, client,
                failure.get().message());
        return Optional.of(failure.get().message());
    }

    /**
     * What HLS and LL-HLS playlists append to their segment, part and init URIs so that a viewer whose playlist
     * request was authorised presents the same {@code auth_key} with each of them: {@code ?auth_key=...}, or
     * empty when play checks are off.
     */
    public String playlistUriQuery(Optional<String> validatedAuthKey) {
        if (!settings.playEnabled() || validatedAuthKey.isEmpty()) {
            return "";
        }
        return "?" + AuthQuery.PARAMETER + "=" + URLEncoder.encode(validatedAuthKey.get(), StandardCharsets.UTF_8);
    }
}
