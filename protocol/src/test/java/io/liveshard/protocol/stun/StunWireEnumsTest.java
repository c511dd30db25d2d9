package io.liveshard.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class StunWireEnumsTest {

    @ParameterizedTest
    @EnumSource(StunMessageType.class)
    void messageTypesRoundTrip(StunMessageType type) {
        assertEquals(Optional.of(type), StunMessageType.fromCode(type.code()));
    }

    @ParameterizedTest
    @EnumSource(StunAttributeType.class)
    void attributeTypesRoundTrip(StunAttributeType type) {
        assertEquals(Optional.of(type), StunAttributeType.fromCode(type.code()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "USERNAME, 0x0006", "MESSAGE_INTEGRITY, 0x0008", "ERROR_CODE, 0x0009", "UNKNOWN_ATTRIBUTES, 0x000A",
        "XOR_MAPPED_ADDRESS, 0x0020", "PRIORITY, 0x0024", "USE_CANDIDATE, 0x0025", "SOFTWARE, 0x8022",
        "FINGERPRINT, 0x8028", "ICE_CONTROLLED, 0x8029", "ICE_CONTROLLING, 0x802A"})
    void attributeCodesAreTheRegisteredOnes(StunAttributeType type, String hex) {
        assertEquals(Integer.decode(hex), type.code());
    }

    @Test
    void unknownCodesAreEmpty() {
        assertEquals(Optional.empty(), StunMessageType.fromCode(0x0003));
        assertEquals(Optional.empty(), StunMessageType.fromCode(0x4001));
        assertEquals(Optional.empty(), StunAttributeType.fromCode(0x0001));
        assertEquals(Optional.empty(), StunAttributeType.fromCode(0xC057));
    }

    @Test
    void comprehensionRangeSplitsAt0x8000() {
        assertTrue(StunAttributeType.isComprehensionRequired(0x7FFF));
        assertFalse(StunAttributeType.isComprehensionRequired(0x8000));
    }
}
