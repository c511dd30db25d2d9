package io.liveshard.protocol.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SdpH264ProfileLevelIdTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "42e01f, 66, 224, 31, true",
        "42C01E, 66, 192, 30, true",
        "42001f, 66, 0, 31, false",
        "4d001f, 77, 0, 31, false",
        "4d801f, 77, 128, 31, true",
        "64001f, 100, 0, 31, false",
        "640c34, 100, 12, 52, false"})
    void parses(String hex, int profileIdc, int profileIop, int levelIdc, boolean constrainedBaseline)
            throws SdpException {
        SdpH264ProfileLevelId id = SdpH264ProfileLevelId.parse(hex);
        assertEquals(new SdpH264ProfileLevelId(profileIdc, profileIop, levelIdc), id);
        assertEquals(constrainedBaseline, id.isConstrainedBaseline());
        assertEquals(hex.toLowerCase(java.util.Locale.ROOT), id.toHex());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "42e01", "42e01f0", "42g01f", "0x42e0"})
    void refusesMalformed(String hex) {
        assertThrows(SdpException.class, () -> SdpH264ProfileLevelId.parse(hex));
    }
}
