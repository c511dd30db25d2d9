package io.liveshard.node.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

    @Test
    void anAddressGetsAtMostItsLimitAtOnce() {
        ConnectionLimits limits = new ConnectionLimits(new LimitSettings(0, 0, 0, 2, 0));
        assertTrue(limits.tryOpen("10.0.0.1").isEmpty());
        assertTrue(limits.tryOpen("10.0.0.1").isEmpty());
        assertTrue(limits.tryOpen("10.0.0.1").orElseThrow().contains("too many connections from 10.0.0.1"));
        assertTrue(limits.tryOpen("10.0.0.2").isEmpty(), "another address is not affected");
        limits.close("10.0.0.1");
        assertTrue(limits.tryOpen("10.0.0.1").isEmpty(), "a closed connection frees its place");
    }

    @Test
    void newConnectionsPerSecondComeInBurstsOfTwiceTheRate() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(new LimitSettings(0, 0, 0, 0, 5));
        for (int i = 0; i < 10; i++) {
            assertTrue(limits.tryOpen("10.0.0.1").isEmpty(), "connection " + i + " of the burst");
        }
        assertTrue(limits.tryOpen("10.0.0.1").orElseThrow().contains("5 a second"));
        Thread.sleep(450);
        assertTrue(limits.tryOpen("10.0.0.1").isEmpty(), "the bucket refills at the rate");
    }

    @Test
    void idleAddressesAreForgotten() {
        ConnectionLimits limits = new ConnectionLimits(new LimitSettings(0, 0, 0, 3, 0));
        limits.tryOpen("10.0.0.1");
        limits.tryOpen("10.0.0.2");
        limits.close("10.0.0.1");
        limits.sweep();
        assertEquals(1, limits.tracked(), "only the address with a connection open is kept");
    }

    @Test
    void withoutLimitsNothingIsCountedOrKept() {
        ConnectionLimits limits = new ConnectionLimits(LimitSettings.none());
        for (int i = 0; i < 1000; i++) {
            assertTrue(limits.tryOpen("10.0.0.1").isEmpty());
        }
        assertEquals(0, limits.tracked());
    }
}
