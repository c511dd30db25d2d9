package io.liveshard.protocol.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsFingerprintTest {

    private static final byte[] DER = "not really a certificate".getBytes(StandardCharsets.US_ASCII);

    @Test
    void formatsAsSdpDoes() throws Exception {
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(DER);
        String expected = "sha-256 " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);
        assertEquals(expected, DtlsFingerprint.of("sha-256", DER).toSdp());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sha-1", "sha-256", "SHA-256", "sha-384", "sha-512"})
    void parsesWhatItFormatsAndMatchesTheCertificate(String hash) {
        DtlsFingerprint fingerprint = DtlsFingerprint.of(hash, DER);
        DtlsFingerprint parsed = DtlsFingerprint.parse(fingerprint.toSdp());
        assertEquals(fingerprint, parsed);
        assertTrue(parsed.matches(DER));
        assertFalse(parsed.matches(new byte[] {1, 2, 3}));
    }

    @Test
    void parsesLowerCaseHexAndExtraSpaces() {
        String sdp = DtlsFingerprint.of("sha-256", DER).toSdp();
        assertEquals(DtlsFingerprint.of("sha-256", DER), DtlsFingerprint.parse("  " + sdp.toLowerCase()
                .replace(" ", "   ") + " "));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {
        "",
        "sha-256",
        "md5 AB:CD",
        "sha-256 AB:CD",
        "sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:0G",
        "sha-1 AB-CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01",
        "sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01 extra",
    })
    void refusesMalformedValues(String sdp) {
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse(sdp));
    }

    @Test
    void refusesOversizedValuesBeforeLookingAtThem() {
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-256 " + "A".repeat(10_000)));
    }
}
