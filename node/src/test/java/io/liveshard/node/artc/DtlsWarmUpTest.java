package io.liveshard.node.artc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.liveshard.node.NodeConfig;
import io.liveshard.protocol.dtls.DtlsCertificate;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node's start-up handshakes with itself: real BouncyCastle DTLS-SRTP on both sides, in memory. */
class DtlsWarmUpTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final ExecutorService blocking = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        blocking.shutdownNow();
        assertTrue(blocking.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void handshakesWithTheNodesCertificateComplete() throws Exception {
        DtlsCertificate node = DtlsCertificate.generate("liveshard", RANDOM);
        Duration took = DtlsWarmUp.start(node, RANDOM, 2, blocking).get(60, TimeUnit.SECONDS);
        assertTrue(took.toNanos() > 0, "two handshakes take time: " + took);
    }

    @Test
    void zeroHandshakesIsOff() throws Exception {
        assertEquals(Duration.ZERO, DtlsWarmUp.start(DtlsCertificate.generate("liveshard", RANDOM), RANDOM, 0,
                blocking).get(1, TimeUnit.SECONDS));
    }

    @Test
    void theSettingIsBounded() {
        for (int wrong : new int[] {-1, ArtcSettings.MAX_WARM_UP_HANDSHAKES + 1}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                    ArtcSettings.fromConfig(ConfigFactory.parseString("warm-up-handshakes = " + wrong)
                            .withFallback(NodeConfig.load(ConfigFactory.empty()).getConfig("liveshard.artc"))));
            assertTrue(refused.getMessage().contains("warm-up-handshakes " + wrong), refused.getMessage());
        }
    }
}
