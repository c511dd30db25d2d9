package io.liveshard.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.liveshard.protocol.media.StreamKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The type-A signer and verifier: a hand-computed vector, the expiry boundary, key rotation and malformed keys. */
class SignedUrlVerifierTest {

    private static final StreamKey CAM1 = new StreamKey("live", "cam1");
    private static final long EXPIRY = 1_700_000_000L;
    /** {@code printf '/live/cam1-1700000000-abc-0-secret' | md5sum} */
    private static final String KNOWN_HASH = "afb23b42501567abf56c6f861258201f";
    private static final String KNOWN = "1700000000-abc-0-" + KNOWN_HASH;

    @Test
    void signsTheKnownVector() {
        assertEquals(KNOWN_HASH, UrlSigner.hash("secret", CAM1, EXPIRY, "abc", "0"));
        assertEquals(KNOWN, UrlSigner.sign("secret", CAM1, EXPIRY, "abc", "0").text());
    }

    @Test
    void aKeyIsValidUpToAndIncludingItsExpirySecond() {
        assertEquals(Optional.empty(), verifierAt(EXPIRY - 3600).verify(CAM1, Optional.of(KNOWN)));
        assertEquals(Optional.empty(), verifierAt(EXPIRY).verify(CAM1, Optional.of(KNOWN)));
        assertEquals(Optional.of(AuthFailure.EXPIRED), verifierAt(EXPIRY + 1).verify(CAM1, Optional.of(KNOWN)));
    }

    @Test
    void eitherKeyValidatesForRotation() {
        SignedUrlVerifier rotating = new SignedUrlVerifier("new-secret", "secret", () -> EXPIRY);
        assertEquals(Optional.empty(), rotating.verify(CAM1, Optional.of(KNOWN)));
        String signedWithNew = UrlSigner.sign("new-secret", CAM1, EXPIRY, "abc", "0").text();
        assertEquals(Optional.empty(), rotating.verify(CAM1, Optional.of(signedWithNew)));
        SignedUrlVerifier rotated = new SignedUrlVerifier("new-secret", "", () -> EXPIRY);
        assertEquals(Optional.of(AuthFailure.WRONG_HASH), rotated.verify(CAM1, Optional.of(KNOWN)));
    }

    @Test
    void upperCaseHexIsTheSameHash() {
        String upper = "1700000000-abc-0-" + KNOWN_HASH.toUpperCase();
        assertEquals(Optional.empty(), verifierAt(EXPIRY).verify(CAM1, Optional.of(upper)));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refusals")
    void refusesWithAFixedReason(String name, Optional<String> authKey, AuthFailure expected) {
        assertEquals(Optional.of(expected), verifierAt(EXPIRY - 10).verify(CAM1, authKey));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("absent", Optional.empty(), AuthFailure.MISSING),
                Arguments.of("empty", Optional.of(""), AuthFailure.MISSING),
                Arguments.of("three parts", Optional.of("1700000000-abc-" + KNOWN_HASH), AuthFailure.MALFORMED),
                Arguments.of("five parts", Optional.of("1700000000-abc-0-0-" + KNOWN_HASH), AuthFailure.MALFORMED),
                Arguments.of("expiry not a number", Optional.of("17e8-abc-0-" + KNOWN_HASH), AuthFailure.MALFORMED),
                Arguments.of("negative expiry", Optional.of("-1-abc-0-" + KNOWN_HASH), AuthFailure.MALFORMED),
                Arguments.of("expiry too long", Optional.of("1".repeat(13) + "-abc-0-" + KNOWN_HASH),
                        AuthFailure.MALFORMED),
                Arguments.of("short hash", Optional.of("1700000000-abc-0-" + KNOWN_HASH.substring(1)),
                        AuthFailure.MALFORMED),
                Arguments.of("hash not hex", Optional.of("1700000000-abc-0-" + "g".repeat(32)),
                        AuthFailure.MALFORMED),
                Arguments.of("empty rand", Optional.of("1700000000--0-" + KNOWN_HASH), AuthFailure.MALFORMED),
                Arguments.of("control character", Optional.of("1700000000-a\u0000c-0-" + KNOWN_HASH),
                        AuthFailure.MALFORMED),
                Arguments.of("oversize", Optional.of("1700000000-" + "a".repeat(300) + "-0-" + KNOWN_HASH),
                        AuthFailure.MALFORMED),
                Arguments.of("other stream's key", Optional.of(UrlSigner.sign("secret", new StreamKey("live", "cam2"),
                        EXPIRY, "abc", "0").text()), AuthFailure.WRONG_HASH),
                Arguments.of("other uid", Optional.of("1700000000-abc-1-" + KNOWN_HASH), AuthFailure.WRONG_HASH),
                Arguments.of("longer expiry", Optional.of("1700000001-abc-0-" + KNOWN_HASH), AuthFailure.WRONG_HASH),
                Arguments.of("wrong key", Optional.of(UrlSigner.sign("guess", CAM1, EXPIRY, "abc", "0").text()),
                        AuthFailure.WRONG_HASH));
    }

    @Test
    void findsTheParameterInStreamQueriesAndTcUrls() {
        assertEquals(Optional.of(KNOWN), AuthQuery.authKey("a=1&auth_key=" + KNOWN + "&b=2"));
        assertEquals(Optional.empty(), AuthQuery.authKey("xauth_key=" + KNOWN));
        assertEquals(Optional.of(KNOWN), AuthQuery.authKeyOfUrl("rtmp://host:1935/live?auth_key=" + KNOWN));
        assertEquals(Optional.empty(), AuthQuery.authKeyOfUrl("rtmp://host:1935/live"));
        assertEquals(Optional.of("%zz"), AuthQuery.authKey("auth_key=%zz"));
    }

    @Test
    void signCommandPrintsUrlsForEveryProtocol() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SignCommand.run(new String[] {"--key", "secret", "--app", "live", "--stream", "cam1",
                "--expires-in", "0", "--rand", "abc", "--host", "example.com"}, new PrintStream(out),
                new PrintStream(err), EXPIRY);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        for (String url : new String[] {"rtmp://example.com/live/cam1?auth_key=" + KNOWN,
                "http://example.com:8080/live/cam1.flv?auth_key=" + KNOWN,
                "http://example.com:8080/live/cam1.m3u8?auth_key=" + KNOWN,
                "http://example.com:8080/live/cam1/ll.m3u8?auth_key=" + KNOWN,
                "artc://example.com:8080/live/cam1?auth_key=" + KNOWN}) {
            assertTrue(text.contains(url), url + " missing from\n" + text);
        }
        assertEquals(2, SignCommand.run(new String[] {"--app", "live"}, new PrintStream(out), new PrintStream(err),
                EXPIRY));
    }

    @Test
    void aSwitchedOnCheckNeedsAKeyAndTheDefaultsAreOff() {
        assertThrows(ConfigException.BadValue.class, () -> AuthSettings.fromConfig(ConfigFactory.parseString(
                "publish.enabled = on, play.enabled = off, key = \"\", secondary-key = \"\"")));
        AuthSettings defaults = AuthSettings.fromConfig(ConfigFactory.parseResources("liveshard.conf")
                .resolve().getConfig("liveshard.auth"));
        assertFalse(defaults.publishEnabled() || defaults.playEnabled(), defaults.toString());
    }

    private static SignedUrlVerifier verifierAt(long nowSeconds) {
        return new SignedUrlVerifier("secret", "", () -> nowSeconds);
    }
}
