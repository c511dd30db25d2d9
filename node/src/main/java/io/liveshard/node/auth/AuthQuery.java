package io.liveshard.node.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Finds {@code auth_key} in the raw query strings RTMP clients send (in the stream name or the tcUrl). */
public final class AuthQuery {

    /** The query parameter every protocol carries the signature in. */
    public static final String PARAMETER = "auth_key";
    private static final String PREFIX = PARAMETER + "=";

    private AuthQuery() {}

    /** The first {@code auth_key} in {@code query} (what follows {@code ?}, without it), percent-decoded. */
    public static Optional<String> authKey(String query) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(PREFIX)) {
                try {
                    return Optional.of(URLDecoder.decode(pair.substring(PREFIX.length()), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // A broken escape: hand the raw value on, which the verifier then calls malformed.
                    return Optional.of(pair.substring(PREFIX.length()));
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code auth_key} in a URL's query, e.g. a tcUrl like {@code rtmp://host/live?auth_key=...}. */
    public static Optional<String> authKeyOfUrl(String url) {
        int q = url.indexOf('?');
        return q < 0 ? Optional.empty() : authKey(url.substring(q + 1));
    }
}
