package io.liveshard.protocol.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Date;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void isASelfSignedEcdsaP256CertificateTheJdkAccepts() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate("liveshard", RANDOM);
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.encoded()));
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(256, ((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals("CN=liveshard", x509.getSubjectX500Principal().getName());
        assertEquals(x509.getSubjectX500Principal(), x509.getIssuerX500Principal());
        x509.verify(x509.getPublicKey());
        x509.checkValidity(new Date());
    }

    @Test
    void theFingerprintIsTheSha256OfTheDerInSdpForm() {
        DtlsCertificate certificate = DtlsCertificate.generate("liveshard", RANDOM);
        String sdp = certificate.fingerprint().toSdp();
        assertTrue(sdp.matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), sdp);
        assertTrue(DtlsFingerprint.parse(sdp).matches(certificate.encoded()));
    }

    @Test
    void everyCertificateHasItsOwnKey() {
        assertNotEquals(DtlsCertificate.generate("a", RANDOM).fingerprint(),
                DtlsCertificate.generate("a", RANDOM).fingerprint());
    }
}
