package io.liveshard.node.auth;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A type-A signed URL parameter, {@code auth_key={expiry}-{rand}-{uid}-{md5hash}}, as streaming CDNs use it: the
 * hash is {@code md5hex("/{app}/{stream}-{expiry}-{rand}-{uid}-{key}")} (see {@link UrlSigner}).
 *
 * @param expiry Unix time in seconds after which the URL no longer works
 * @param rand   a random string chosen by the signer (no {@code -}), making each signed URL distinct
 * @param uid    the viewer's or publisher's id as the signer knows it, {@code 0} when unused
 * @param hash   the 32 lowercase hex digits of the MD5 hash
 */
public record AuthKey(long expiry, String rand, String uid, String hash) {

    /** Longest {@code auth_key} value looked at; a real one is well under 150 characters. */
    public static final int MAX_LENGTH = 256;
    /** Four fields separated by {@code -}; expiry at most 12 digits (year 33658), rand and uid at most 64. */
    private static final Pattern FORMAT =
            Pattern.compile("^(\\d{1,12})-([A-Za-z0-9_.]{1,64})-([A-Za-z0-9_.]{1,64})-([0-9A-Fa-f]{32})$");

    /** The parameter's fields, or empty when {@code text} does not have the form above. */
    public static Optional<AuthKey> parse(String text) {
        if (text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher match = FORMAT.matcher(text);
        if (!match.matches()) {
            return Optional.empty();
        }
        return Optional.of(new AuthKey(Long.parseLong(match.group(1)), match.group(2), match.group(3),
                match.group(4).toLowerCase(java.util.Locale.ROOT)));
    }

    /** The parameter's value, as it goes into a URL. */
    public String text() {
        return expiry + "-" + rand + "-" + uid + "-" + hash;
    }
}
