package io.liveshard.node.auth;

import io.liveshard.protocol.media.StreamKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Signs stream URLs type-A style: {@code md5hex("/{app}/{stream}-{expiry}-{rand}-{uid}-{key}")}. The path is the
 * stream's, whatever the protocol, so one {@code auth_key} works for RTMP, HTTP-FLV, HLS, LL-HLS and artc alike.
 */
public final class UrlSigner {

    private UrlSigner() {}

    /** The signed {@code auth_key} for {@code stream}, valid until {@code expiry} (Unix seconds). */
    public static AuthKey sign(String key, StreamKey stream, long expiry, String rand, String uid) {
        return new AuthKey(expiry, rand, uid, hash(key, stream, expiry, rand, uid));
    }

    /** The MD5 hash, as 32 lowercase hex digits. */
    public static String hash(String key, StreamKey stream, long expiry, String rand, String uid) {
        String signed = "/" + stream.app() + "/" + stream.stream() + "-" + expiry + "-" + rand + "-" + uid + "-" + key;
        return HexFormat.of().formatHex(md5().digest(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
