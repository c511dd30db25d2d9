package io.liveshard.protocol.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SdpWireEnumsTest {

    @ParameterizedTest
    @EnumSource(SdpDirection.class)
    void directionsRoundTrip(SdpDirection direction) {
        assertEquals(Optional.of(direction), SdpDirection.fromToken(direction.token()));
    }

    @ParameterizedTest
    @EnumSource(SdpSetup.class)
    void setupsRoundTrip(SdpSetup setup) {
        assertEquals(Optional.of(setup), SdpSetup.fromToken(setup.token()));
    }

    @Test
    void unknownTokensAreEmpty() {
        assertEquals(Optional.empty(), SdpDirection.fromToken("RECVONLY"));
        assertEquals(Optional.empty(), SdpSetup.fromToken("server"));
    }
}
