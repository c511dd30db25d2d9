package io.liveshard.node.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HookSignerTest {

    private static final byte[] BODY = "{\"event\":\"publish\"}".getBytes(StandardCharsets.UTF_8);

    /** Golden value from Python's hmac module: hmac.new(b"hook-secret", b"1700000000." + body, sha256). */
    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        assertEquals("sha256=6101a3c5160f0251c1dbf2b1fb4009999d37e0ecfc422d7c74a983bcfa906ab0",
                new HookSigner("hook-secret").signature(1_700_000_000L, BODY));
    }

    @Test
    void verifiesOnlyTheSameSecretTimestampAndBody() {
        HookSigner signer = new HookSigner("hook-secret");
        String signature = signer.signature(1_700_000_000L, BODY);
        assertTrue(signer.verify(signature, 1_700_000_000L, BODY));
        assertFalse(signer.verify(signature, 1_700_000_001L, BODY), "another timestamp");
        assertFalse(signer.verify(signature, 1_700_000_000L, "{\"event\":\"play\"}".getBytes(StandardCharsets.UTF_8)),
                "another body");
        assertFalse(new HookSigner("other-secret").verify(signature, 1_700_000_000L, BODY), "another secret");
        assertFalse(signer.verify("sha256=", 1_700_000_000L, BODY), "truncated");
    }

    @Test
    void refusesAnEmptySecret() {
        assertThrows(IllegalArgumentException.class, () -> new HookSigner(""));
    }
}
