package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.ArtcClientLoop;
import io.liveshard.node.testkit.ArtcTestClient;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import io.liveshard.protocol.stun.StunAttribute;
import io.liveshard.protocol.stun.StunMessage;
import io.liveshard.protocol.stun.StunMessageIntegrity;
import io.liveshard.protocol.stun.StunMessageType;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;

/**
 * The artc port and the WHEP endpoint under bad input while a healthy viewer plays the same stream on the same port:
 * random bytes, malformed STUN, STUN for nobody, ICE checks with a wrong password, a DTLS ClientHello without
 * use_srtp, a 1 MB offer and an offer with only VP8. Each is answered with an error or dropped and counted, and the
 * healthy viewer keeps getting media throughout.
 */
class ArtcBadInputTest {

    private static final Path CHROMIUM_OFFER =
            Path.of("../protocol/src/test/resources/sdp/chromium-whep-recvonly-offer.sdp");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The node's HTTP address, set when the test's node has started. */
    private static String base;

    @Test
    void badInputIsRefusedOrDroppedAndAHealthyViewerKeepsPlaying() throws Exception {
        StreamKey key = new StreamKey("live", "junk");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/junk", 60, 30)) {
            StreamProbe.awaitLiveWithGop(node, key);
            base = "http://127.0.0.1:" + node.httpPort();
            try (ArtcClientLoop loop = ArtcClientLoop.forTests();
                 ArtcTestClient healthy = ArtcTestClient.connect(loop, ArtcTestClient.Options.forTests(),
                         "127.0.0.1", node.httpPort(), "live", "junk");
                 DatagramSocket attacker = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                awaitPackets(healthy, 60);
                InetSocketAddress port = new InetSocketAddress("127.0.0.1", node.artcPort());
                String answer = post("/live/junk/whep", Files.readString(CHROMIUM_OFFER));
                String ufrag = attribute(answer, "ice-ufrag");
                String password = attribute(answer, "ice-pwd");
                long before = healthy.videoPackets();

                Random random = new Random(11);
                for (int i = 0; i < 300; i++) {
                    byte[] junk = new byte[1 + random.nextInt(1200)];
                    random.nextBytes(junk);
                    junk[0] = (byte) (64 + random.nextInt(64));   // neither STUN, DTLS nor RTP: for no session
                    send(attacker, junk, port, i);
                }
                for (int i = 0; i < 100; i++) {
                    // A binding request header whose length runs past the datagram.
                    byte[] malformed = {0x00, 0x01, 0x01, 0x00, 0x21, 0x12, (byte) 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7,
                            8, 9, 10, 11, 12};
                    send(attacker, malformed, port, i);
                }
                for (int i = 0; i < 50; i++) {
                    send(attacker, bindingRequest("nobody00:EsAw", "not-the-password-of-anyone", random), port, i);
                }
                int refusals = 0;
                attacker.setSoTimeout(1000);
                for (int i = 0; i < 50; i++) {
                    byte[] wrongPassword = bindingRequest(ufrag + ":EsAw", "wrong-password-wrong-password", random);
                    attacker.send(new DatagramPacket(wrongPassword, wrongPassword.length, port));
                    DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
                    try {
                        attacker.receive(reply);
                        refusals += reply.getData()[0] == 0x01 && reply.getData()[1] == 0x11 ? 1 : 0;
                    } catch (SocketTimeoutException e) {
                        // counted as not refused
                    }
                }
                assertEquals(50, refusals, "every check with a wrong password gets a binding error response");
                assertThrows(IOException.class, () -> plainDtlsHandshake(ufrag, password, port),
                        "a ClientHello without use_srtp gets no association");

                assertEquals(400, postStatus("/live/junk/whep", "v=0\r\n" + "a=x\r\n".repeat(200_000)));
                assertEquals(400, postStatus("/live/junk/whep", Files.readString(CHROMIUM_OFFER)
                        .replace("H264/90000", "VP8/90000")));

                awaitPackets(healthy, before + 100);
                String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (String reason : List.of("not-for-a-session", "malformed-stun", "unknown-username")) {
                    Matcher counted = Pattern.compile("liveshard_artc_dropped_datagrams_total\\{reason=\"" + reason
                            + "\"} (\\d+)").matcher(metrics);
                    assertTrue(counted.find() && Double.parseDouble(counted.group(1)) >= 1,
                            reason + " drops are counted: " + metrics.lines()
                                    .filter(line -> line.contains("dropped_datagrams")).toList());
                }
                long after = healthy.videoPackets();
                Thread.sleep(1000);
                assertTrue(healthy.videoPackets() >= after + 30, "the healthy viewer still plays");
                assertEquals(0, healthy.refusedPackets(), "and every packet it got authenticated");
            }
        }
    }

    /**
     * A valid ICE check latches this socket to the session, then a plain DTLS 1.2 client (no use_srtp extension)
     * starts its handshake there; the node must refuse it.
     */
    private static void plainDtlsHandshake(String ufrag, String password, InetSocketAddress port) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.connect(port);
            socket.setSoTimeout(2000);
            byte[] check = bindingRequest(ufrag + ":EsAw", password, new Random(5));
            socket.send(new DatagramPacket(check, check.length));
            DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
            socket.receive(reply);
            assertEquals(0x0101, ((reply.getData()[0] & 0xff) << 8) | (reply.getData()[1] & 0xff),
                    "the check succeeded");
            DefaultTlsClient plain = new DefaultTlsClient(new BcTlsCrypto(new SecureRandom())) {
                @Override
                protected ProtocolVersion[] getSupportedVersions() {
                    return ProtocolVersion.DTLSv12.only();
                }

                @Override
                public TlsAuthentication getAuthentication() {
                    return new TlsAuthentication() {
                        @Override
                        public void notifyServerCertificate(TlsServerCertificate certificate) {
                        }

                        @Override
                        public TlsCredentials getClientCredentials(CertificateRequest request) {
                            return null;
                        }
                    };
                }
            };
            new DTLSClientProtocol().connect(plain, new UDPTransport(socket, 1500));
        }
    }

    private static byte[] bindingRequest(String username, String password, Random random) {
        byte[] transaction = new byte[12];
        random.nextBytes(transaction);
        return new StunMessage(StunMessageType.BINDING_REQUEST, transaction, List.of(
                StunAttribute.username(username), StunAttribute.priority(1845501695),
                StunAttribute.iceControlling(42)))
                .encodeWithIntegrityAndFingerprint(StunMessageIntegrity.shortTermKey(password));
    }

    /** Paced a little so that the node's socket buffer, not the test, decides what arrives. */
    private static void send(DatagramSocket socket, byte[] datagram, InetSocketAddress to, int index)
            throws IOException, InterruptedException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
        if (index % 50 == 49) {
            Thread.sleep(2);
        }
    }

    private static void awaitPackets(ArtcTestClient client, long packets) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (client.videoPackets() < packets && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(client.videoPackets() >= packets, "video packets: " + client.videoPackets() + " of " + packets);
    }

    private static String post(String path, String offer) throws Exception {
        HttpResponse<String> response = postOffer(path, offer);
        assertEquals(201, response.statusCode(), response.body());
        return response.body();
    }

    private static int postStatus(String path, String offer) throws Exception {
        HttpResponse<String> response = postOffer(path, offer);
        assertTrue(response.body().length() > 5, "a refusal says why: " + response.body());
        return response.statusCode();
    }

    private static HttpResponse<String> postOffer(String path, String offer) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String attribute(String sdp, String name) {
        Matcher match = Pattern.compile("(?m)^a=" + name + ":(.+?)\\r?$").matcher(sdp);
        assertTrue(match.find(), name + " missing from\n" + sdp);
        return match.group(1).trim();
    }
}
