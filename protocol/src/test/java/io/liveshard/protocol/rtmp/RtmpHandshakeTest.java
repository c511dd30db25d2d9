package io.liveshard.protocol.rtmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The digest checks here are written out independently of {@link RtmpHandshakeDigest}, the way a client (ffmpeg's
 * rtmpproto.c, librtmp's handshake.h) verifies a server.
 */
class RtmpHandshakeTest {

    private static final byte[] PLAYER_KEY = "Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_FULL_KEY = HexFormat.of().parseHex(
            HexFormat.of().formatHex(SERVER_KEY)
                    + "f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae");

    @Test
    void simpleHandshakeEchoesC1() {
        byte[] c1 = randomC1(0);
        Arrays.fill(c1, 4, 8, (byte) 0);
        RtmpHandshake handshake = new RtmpHandshake();
        ByteBuffer in = ByteBuffer.wrap(concat(new byte[] {3}, c1, new byte[1536], new byte[] {0x42, 0x43}));
        assertEquals(RtmpHandshake.Result.DONE, handshake.decode(in));
        byte[] out = handshake.takeOutput();
        assertEquals(3073, out.length);
        assertEquals(3, out[0]);
        assertArrayEquals(new byte[4], Arrays.copyOfRange(out, 5, 9), "S1 version field is zero");
        assertArrayEquals(c1, Arrays.copyOfRange(out, 1537, 3073), "S2 echoes C1");
        assertFalse(handshake.isDigestHandshake());
        assertEquals(2, in.remaining(), "bytes after C2 stay in the buffer");
        assertEquals(0, handshake.takeOutput().length);
    }

    @ParameterizedTest(name = "digest scheme {0}")
    @ValueSource(ints = {0, 1})
    void digestHandshakeAnswersLikeFms(int scheme) throws GeneralSecurityException {
        byte[] c1 = randomC1(scheme + 10);
        ByteBuffer.wrap(c1, 4, 4).putInt(0x80000702);
        int c1Offset = offset(c1, scheme);
        System.arraycopy(digest(c1, c1Offset, PLAYER_KEY), 0, c1, c1Offset, 32);

        RtmpHandshake handshake = new RtmpHandshake();
        assertEquals(RtmpHandshake.Result.NEED_MORE_BYTES, handshake.decode(ByteBuffer.wrap(concat(new byte[] {3}, c1))));
        assertTrue(handshake.isDigestHandshake());
        byte[] out = handshake.takeOutput();
        byte[] s1 = Arrays.copyOfRange(out, 1, 1537);
        byte[] s2 = Arrays.copyOfRange(out, 1537, 3073);

        assertTrue((s1[4] & 0xFF) >= 3, "ffmpeg checks the digests only for a server version of 3 or more");
        int s1Offset = offset(s1, scheme);
        assertArrayEquals(digest(s1, s1Offset, SERVER_KEY), Arrays.copyOfRange(s1, s1Offset, s1Offset + 32),
                "S1 digest under the client's scheme");

        byte[] c1Digest = Arrays.copyOfRange(c1, c1Offset, c1Offset + 32);
        byte[] s2Key = hmac(SERVER_FULL_KEY, c1Digest, 0, 32);
        assertArrayEquals(hmac(s2Key, s2, 0, 1504), Arrays.copyOfRange(s2, 1504, 1536), "S2 signature");

        assertEquals(RtmpHandshake.Result.DONE, handshake.decode(ByteBuffer.wrap(new byte[1536])));
    }

    @Test
    void c1WithAVersionButNoValidDigestGetsTheSimpleAnswer() {
        byte[] c1 = randomC1(4);
        ByteBuffer.wrap(c1, 4, 4).putInt(0x0A000C02);
        RtmpHandshake handshake = new RtmpHandshake();
        handshake.decode(ByteBuffer.wrap(concat(new byte[] {3}, c1)));
        assertFalse(handshake.isDigestHandshake());
        assertArrayEquals(c1, Arrays.copyOfRange(handshake.takeOutput(), 1537, 3073));
    }

    @Test
    void ffmpegC1FromTheCaptureUsesTheDigestHandshake() throws IOException {
        byte[] capture;
        try (InputStream in = getClass().getResourceAsStream("/rtmp/ffmpeg-publish-client.bin")) {
            capture = in.readAllBytes();
        }
        RtmpHandshake handshake = new RtmpHandshake();
        ByteBuffer in = ByteBuffer.wrap(capture);
        assertEquals(RtmpHandshake.Result.DONE, handshake.decode(in));
        assertTrue(handshake.isDigestHandshake());
        assertEquals(3073, in.position());
    }

    @ParameterizedTest(name = "first byte {0}: {1}")
    @CsvSource({
        "6, RTMPE",
        "22, a TLS ClientHello",
        "71, 'HTTP GET'",
        "0, zero",
        "255, 0xff"})
    void refusesOtherVersions(int version, String what) {
        RtmpHandshake handshake = new RtmpHandshake();
        ByteBuffer in = ByteBuffer.wrap(new byte[] {(byte) version, 1, 2, 3});
        assertEquals(RtmpHandshake.Result.BAD_MESSAGE, handshake.decode(in));
        assertEquals("client asked for RTMP version " + version + ", only 3 exists", handshake.failureReason());
        assertEquals(0, handshake.takeOutput().length);
        assertEquals(RtmpHandshake.Result.BAD_MESSAGE, handshake.decode(ByteBuffer.wrap(new byte[3073])));
    }

    @Test
    void everyTruncationWaitsAndAnswersOnlyOnceC1IsComplete() {
        byte[] all = concat(new byte[] {3}, randomC1(1), randomC1(2));
        for (int length = 0; length < all.length; length++) {
            RtmpHandshake handshake = new RtmpHandshake();
            ByteBuffer in = ByteBuffer.wrap(all, 0, length);
            assertEquals(RtmpHandshake.Result.NEED_MORE_BYTES, handshake.decode(in), "cut at " + length);
            assertEquals(length >= 1537 ? 3073 : 0, handshake.takeOutput().length, "cut at " + length);
        }
    }

    @Test
    void byteAtATimeCompletes() {
        byte[] all = concat(new byte[] {3}, randomC1(1), randomC1(2));
        RtmpHandshake handshake = new RtmpHandshake();
        ByteBuffer in = ByteBuffer.allocate(all.length);
        RtmpHandshake.Result result = null;
        int outputBytes = 0;
        for (byte b : all) {
            in.put(b).flip();
            result = handshake.decode(in);
            outputBytes += handshake.takeOutput().length;
            in.compact();
        }
        assertEquals(RtmpHandshake.Result.DONE, result);
        assertEquals(3073, outputBytes);
    }

    private static byte[] randomC1(int seed) {
        byte[] c1 = new byte[1536];
        new Random(seed).nextBytes(c1);
        return c1;
    }

    private static int offset(byte[] packet, int scheme) {
        int base = scheme == 0 ? 8 : 772;
        int sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += packet[base + i] & 0xFF;
        }
        return sum % 728 + base + 4;
    }

    private static byte[] digest(byte[] packet, int offset, byte[] key) throws GeneralSecurityException {
        byte[] without = concat(Arrays.copyOfRange(packet, 0, offset), Arrays.copyOfRange(packet, offset + 32, 1536));
        return hmac(key, without, 0, without.length);
    }

    private static byte[] hmac(byte[] key, byte[] data, int offset, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(data, offset, length);
        return mac.doFinal();
    }

    private static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
