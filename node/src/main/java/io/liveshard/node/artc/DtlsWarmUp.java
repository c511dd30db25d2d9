package io.liveshard.node.artc;

import io.liveshard.protocol.dtls.DtlsCertificate;
import io.liveshard.protocol.dtls.DtlsDatagramTransport;
import io.liveshard.protocol.dtls.DtlsSrtpClient;
import io.liveshard.protocol.dtls.DtlsSrtpConfig;
import io.liveshard.protocol.dtls.DtlsSrtpKeys;
import io.liveshard.protocol.dtls.DtlsSrtpServer;
import io.liveshard.protocol.srtp.SrtpContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DTLS-SRTP handshakes of the node with itself, in memory, once at start. The first artc viewers after a start
 * otherwise meet code that has never run: BouncyCastle's handshake and elliptic-curve classes loading, their hot
 * loops interpreted. When 50 viewers joined at once, the slowest got its first video packet 0.86 s after its offer
 * on a fresh node and about 0.35 s on one that had served artc before (docs/PERFORMANCE.md). Each handshake here is
 * what a viewer's is (the node's certificate, ECDHE-ECDSA, {@code use_srtp} with Chrome's profiles), followed by
 * SRTP protection of a few packets with the keys it made.
 */
final class DtlsWarmUp {

    private static final Logger log = LoggerFactory.getLogger(DtlsWarmUp.class);
    private static final long HANDSHAKE_WAIT_SECONDS = 20;
    private static final int PACKETS_PER_HANDSHAKE = 16;
    private static final int PACKET_BYTES = 1200;

    private DtlsWarmUp() {
    }

    /**
     * Runs {@code handshakes} handshakes one after the other on {@code blocking} (two of its threads at a time: the
     * server's and the client's). Completes with how long they took, or exceptionally with the first failure.
     */
    static CompletableFuture<Duration> start(DtlsCertificate certificate, SecureRandom random, int handshakes,
                                             Executor blocking) {
        CompletableFuture<Duration> done = new CompletableFuture<>();
        if (handshakes == 0) {
            done.complete(Duration.ZERO);
            return done;
        }
        blocking.execute(() -> {
            long start = System.nanoTime();
            try {
                DtlsCertificate client = DtlsCertificate.generate("liveshard-warm-up", random);
                for (int i = 0; i < handshakes; i++) {
                    handshake(certificate, client, random, blocking);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                log.info("artc: DTLS warmed up with {} handshakes in {} ms", handshakes, took.toMillis());
                done.complete(took);
            } catch (Exception e) {
                log.info("artc: DTLS warm-up stopped: {}", e.toString());
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private static void handshake(DtlsCertificate server, DtlsCertificate client, SecureRandom random,
                                  Executor blocking) throws Exception {
        try (DtlsDatagramTransport.InMemoryPair pair = DtlsDatagramTransport.InMemoryPair.open()) {
            DtlsSrtpServer accepting = new DtlsSrtpServer(server, client.fingerprint(), DtlsSrtpConfig.DEFAULT,
                    random);
            CompletableFuture<DtlsSrtpKeys> serverKeys = new CompletableFuture<>();
            blocking.execute(() -> {
                try {
                    serverKeys.complete(accepting.accept(pair.serverSide()));
                } catch (Exception e) {
                    serverKeys.completeExceptionally(e);
                }
            });
            new DtlsSrtpClient(client, server.fingerprint(), random).connect(pair.clientSide());
            protectPackets(serverKeys.get(HANDSHAKE_WAIT_SECONDS, TimeUnit.SECONDS).newSendingContext());
        }
    }

    private static void protectPackets(SrtpContext sending) throws Exception {
        byte[] packet = new byte[PACKET_BYTES + 64];
        for (int i = 0; i < PACKETS_PER_HANDSHAKE; i++) {
            packet[0] = (byte) 0x80;
            packet[1] = 96;
            packet[2] = (byte) (i >> 8);
            packet[3] = (byte) i;
            sending.protectRtp(packet, 0, PACKET_BYTES);
        }
    }
}
