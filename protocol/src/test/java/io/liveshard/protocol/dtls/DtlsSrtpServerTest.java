package io.liveshard.protocol.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.srtp.SrtpContext;
import io.liveshard.protocol.srtp.SrtpException;
import io.liveshard.protocol.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Full handshakes between {@link DtlsSrtpServer} on one thread and a BouncyCastle DTLS client on another, over an
 * in-memory datagram pipe.
 */
class DtlsSrtpServerTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate("liveshard-test", RANDOM);
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate("browser", RANDOM);
    private static final int GCM = SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM;
    private static final int AES_CM = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;

    private ExecutorService serverThread;
    private DtlsDatagramTransport serverSide;
    private DtlsDatagramTransport clientSide;

    @BeforeEach
    void connectPipe() {
        serverThread = Executors.newSingleThreadExecutor();
        DtlsDatagramTransport.InMemoryPair pair = DtlsDatagramTransport.InMemoryPair.open();
        serverSide = pair.serverSide();
        clientSide = pair.clientSide();
    }

    @AfterEach
    void stop() throws InterruptedException {
        serverSide.close();
        clientSide.close();
        serverThread.shutdownNow();
        assertTrue(serverThread.awaitTermination(10, TimeUnit.SECONDS));
    }

    private Future<DtlsSrtpKeys> startServer(DtlsFingerprint expectedClient, DtlsSrtpConfig config) {
        DtlsSrtpServer server = new DtlsSrtpServer(SERVER_CERT, expectedClient, config, RANDOM);
        return serverThread.submit(() -> server.accept(serverSide));
    }

    private Future<DtlsSrtpKeys> startServer() {
        return startServer(CLIENT_CERT.fingerprint(), DtlsSrtpConfig.DEFAULT);
    }

    /** The client's keys; their profile is the one the server chose. */
    private DtlsSrtpKeys connectClient(int... profiles) throws IOException {
        return new DtlsSrtpClient(CLIENT_CERT, SERVER_CERT.fingerprint(), RANDOM, profiles).connect(clientSide);
    }

    private static DtlsSrtpKeys await(Future<DtlsSrtpKeys> server) throws Exception {
        return server.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aClientOfferingBothProfilesGetsGcmAndBothSidesDeriveTheSameKeys() throws Exception {
        Future<DtlsSrtpKeys> server = startServer();
        DtlsSrtpKeys client = connectClient(AES_CM, GCM);
        DtlsSrtpKeys serverKeys = await(server);

        assertEquals(SrtpProfile.AEAD_AES_128_GCM, serverKeys.profile());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, client.profile());
        assertKeysMirror(serverKeys, client);
        assertEquals(16, serverKeys.localMasterKey().length);
        assertEquals(12, serverKeys.localMasterSalt().length);
    }

    /** The module's own client, which the node's start-up handshakes and the load tool use: Chrome's offer. */
    @Test
    void dtlsSrtpClientGetsGcmAndTheServersKeysMirrored() throws Exception {
        Future<DtlsSrtpKeys> server = startServer();
        DtlsSrtpKeys clientKeys = new DtlsSrtpClient(CLIENT_CERT, SERVER_CERT.fingerprint(), RANDOM)
                .connect(clientSide);
        DtlsSrtpKeys serverKeys = await(server);

        assertEquals(SrtpProfile.AEAD_AES_128_GCM, clientKeys.profile());
        assertKeysMirror(serverKeys, clientKeys);
    }

    @Test
    void dtlsSrtpClientRefusesAServerWhoseCertificateIsNotTheAnswers() {
        startServer();
        DtlsFingerprint someoneElse = DtlsCertificate.generate("someone-else", RANDOM).fingerprint();
        IOException refused = assertThrows(IOException.class,
                () -> new DtlsSrtpClient(CLIENT_CERT, someoneElse, RANDOM).connect(clientSide));
        assertTrue(String.valueOf(refused.getMessage()).contains("fingerprint"), String.valueOf(refused));
    }

    @Test
    void aClientOfferingOnlyAesCmGetsAesCm() throws Exception {
        Future<DtlsSrtpKeys> server = startServer();
        DtlsSrtpKeys client = connectClient(AES_CM);
        DtlsSrtpKeys serverKeys = await(server);

        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, serverKeys.profile());
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, client.profile());
        assertKeysMirror(serverKeys, client);
        assertEquals(14, serverKeys.localMasterSalt().length);
    }

    @Test
    void theServersPreferenceOrderWins() throws Exception {
        Future<DtlsSrtpKeys> server = startServer(CLIENT_CERT.fingerprint(), new DtlsSrtpConfig(
                Duration.ofSeconds(10), List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM)));
        DtlsSrtpKeys client = connectClient(GCM, AES_CM);
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, await(server).profile());
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, client.profile());
    }

    @Test
    void srtpProtectedWithOneSidesKeysIsUnprotectedWithTheOthers() throws Exception {
        Future<DtlsSrtpKeys> server = startServer();
        DtlsSrtpKeys client = connectClient(GCM, AES_CM);
        DtlsSrtpKeys serverKeys = await(server);

        byte[] rtp = new byte[12 + 100 + 16];
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        rtp[3] = 1;
        rtp[11] = 42;
        Arrays.fill(rtp, 12, 112, (byte) 0x5a);
        byte[] plain = Arrays.copyOf(rtp, 112);
        int length = serverKeys.newSendingContext().protectRtp(rtp, 0, 112);
        assertEquals(112, client.newReceivingContext().unprotectRtp(rtp, 0, length));
        assertArrayEquals(plain, Arrays.copyOf(rtp, 112));

        // The other direction: a receiver report from the browser.
        byte[] rtcp = new byte[8 + 24 + SrtpProfile.AEAD_AES_128_GCM.rtcpOverhead()];
        rtcp[0] = (byte) 0x81;
        rtcp[1] = (byte) 201;
        rtcp[3] = 7;
        rtcp[7] = 9;
        int rtcpLength = client.newSendingContext().protectRtcp(rtcp, 0, 32);
        SrtpContext serverReceiving = serverKeys.newReceivingContext();
        assertEquals(32, serverReceiving.unprotectRtcp(rtcp, 0, rtcpLength));

        // The server's own sending keys cannot read what the browser sent.
        int again = client.newSendingContext().protectRtcp(rtcp, 0, 32);
        assertEquals(SrtpException.Reason.AUTH_FAILED, assertThrows(SrtpException.class,
                () -> serverKeys.newSendingContext().unprotectRtcp(rtcp, 0, again)).reason());
    }

    @Test
    void aClientCertificateOtherThanTheSdpFingerprintIsRejected() throws Exception {
        DtlsFingerprint someoneElse = DtlsCertificate.generate("mallory", RANDOM).fingerprint();
        Future<DtlsSrtpKeys> server = startServer(someoneElse, DtlsSrtpConfig.DEFAULT);
        assertThrows(IOException.class, () -> connectClient(GCM, AES_CM));
        DtlsSrtpException failure = serverFailure(server);
        assertTrue(failure.getMessage().contains("bad_certificate(42)")
                && failure.getMessage().contains("does not match the sdp fingerprint " + someoneElse.toSdp()),
                failure.getMessage());
    }

    @Test
    void aClientWithNoCommonProfileIsRejected() throws Exception {
        Future<DtlsSrtpKeys> server = startServer();
        assertThrows(IOException.class, () -> connectClient(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32));
        DtlsSrtpException failure = serverFailure(server);
        assertTrue(failure.getMessage().contains("no common srtp profile: client offers [0x0002]"),
                failure.getMessage());
    }

    /** A plain DTLS 1.2 client: its ClientHello carries no use_srtp extension, so no SRTP keys could come of it. */
    @Test
    void aClientHelloWithoutUseSrtpIsRejected() throws Exception {
        Future<DtlsSrtpKeys> server = startServer();
        DefaultTlsClient plain = new DefaultTlsClient(new BcTlsCrypto(RANDOM)) {
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
        assertThrows(IOException.class, () -> new DTLSClientProtocol().connect(plain, clientSide));
        DtlsSrtpException failure = serverFailure(server);
        assertTrue(failure.getMessage().contains("client offers no use_srtp extension"), failure.getMessage());
    }

    @Test
    void garbageDatagramsAreIgnoredAndTheHandshakeStillCompletes() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            if (i % 2 == 0) {
                garbage[0] = 22; // handshake content type: gets past the first check
            }
            serverSide.offer(garbage, 0, garbage.length);
        }
        Future<DtlsSrtpKeys> server = startServer();
        DtlsSrtpKeys client = connectClient(GCM);
        assertKeysMirror(await(server), client);
    }

    @Test
    void onlyGarbageEndsInATimeoutWithAReason() throws Exception {
        Future<DtlsSrtpKeys> server = startServer(CLIENT_CERT.fingerprint(),
                new DtlsSrtpConfig(Duration.ofSeconds(1), DtlsSrtpConfig.DEFAULT.profiles()));
        Random random = new Random(3);
        for (int i = 0; i < 10; i++) {
            byte[] garbage = new byte[200];
            random.nextBytes(garbage);
            serverSide.offer(garbage, 0, garbage.length);
        }
        DtlsSrtpException failure = serverFailure(server);
        assertTrue(failure.getMessage().contains("no complete handshake within 1000 ms"), failure.getMessage());
    }

    private static DtlsSrtpException serverFailure(Future<DtlsSrtpKeys> server) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> server.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(DtlsSrtpException.class, e.getCause());
    }

    private static void assertKeysMirror(DtlsSrtpKeys server, DtlsSrtpKeys client) {
        assertEquals(server.profile(), client.profile());
        assertArrayEquals(server.localMasterKey(), client.remoteMasterKey());
        assertArrayEquals(server.localMasterSalt(), client.remoteMasterSalt());
        assertArrayEquals(server.remoteMasterKey(), client.localMasterKey());
        assertArrayEquals(server.remoteMasterSalt(), client.localMasterSalt());
        assertTrue(!Arrays.equals(server.localMasterKey(), server.remoteMasterKey()), "directions differ");
    }
}
