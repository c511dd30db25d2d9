package io.liveshard.node.auth;

import io.liveshard.protocol.media.StreamKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Checks {@code auth_key} values against a primary and an optional secondary key, so keys can be rotated: sign with
 * the new key while URLs signed with the old one still work, then drop the old one. A URL is valid up to and
 * including its expiry second. Hashes are compared with {@link MessageDigest#isEqual}, and with both keys every
 * time, so the time taken tells a caller nothing about how close a guess was.
 */
public final class SignedUrlVerifier {

    private final String primaryKey;
    /** Empty when there is no second key. */
    private final String secondaryKey;
    private final LongSupplier nowSeconds;

    public SignedUrlVerifier(String primaryKey, String secondaryKey, LongSupplier nowSeconds) {
        if (primaryKey.isEmpty()) {
            throw new IllegalArgumentException("a signed-URL verifier needs a key");
        }
        this.primaryKey = primaryKey;
        this.secondaryKey = secondaryKey;
        this.nowSeconds = nowSeconds;
    }

    /** Why {@code authKey} does not open {@code stream}, or empty when it does. */
    public Optional<AuthFailure> verify(StreamKey stream, Optional<String> authKey) {
        if (authKey.isEmpty() || authKey.get().isEmpty()) {
            return Optional.of(AuthFailure.MISSING);
        }
        Optional<AuthKey> parsed = AuthKey.parse(authKey.get());
        if (parsed.isEmpty()) {
            return Optional.of(AuthFailure.MALFORMED);
        }
        AuthKey presented = parsed.get();
        if (nowSeconds.getAsLong() > presented.expiry()) {
            return Optional.of(AuthFailure.EXPIRED);
        }
        byte[] hash = presented.hash().getBytes(StandardCharsets.US_ASCII);
        boolean primary = matches(primaryKey, stream, presented, hash);
        boolean secondary = !secondaryKey.isEmpty() && matches(secondaryKey, stream, presented, hash);
        return primary | secondary ? Optional.empty() : Optional.of(AuthFailure.WRONG_HASH);
    }

    private static boolean matches(String key, StreamKey stream, AuthKey presented, byte[] hash) {
        String expected = UrlSigner.hash(key, stream, presented.expiry(), presented.rand(), presented.uid());
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), hash);
    }
}
