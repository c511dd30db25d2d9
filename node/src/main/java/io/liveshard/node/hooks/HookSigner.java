package io.liveshard.node.hooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests so that receivers can tell they come from this node and were not replayed: the signature
 * is {@code sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>} in {@value #SIGNATURE_HEADER}, with the
 * Unix-seconds timestamp in {@value #TIMESTAMP_HEADER}. A receiver recomputes it over the raw body bytes it got and
 * rejects old timestamps.
 */
public final class HookSigner {

    public static final String SIGNATURE_HEADER = "X-LiveShard-Signature";
    public static final String TIMESTAMP_HEADER = "X-LiveShard-Timestamp";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";

    private final SecretKeySpec key;

    public HookSigner(String secret) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("a webhook secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The {@value #SIGNATURE_HEADER} value for {@code body} sent at {@code timestampSeconds}. */
    public String signature(long timestampSeconds, byte[] body) {
        Mac mac = newMac();
        mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
        return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Whether {@code signature} is this signer's for {@code body} at {@code timestampSeconds} (constant time). */
    public boolean verify(String signature, long timestampSeconds, byte[] body) {
        return MessageDigest.isEqual(signature(timestampSeconds, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK always provides " + ALGORITHM, e);
        }
    }
}
