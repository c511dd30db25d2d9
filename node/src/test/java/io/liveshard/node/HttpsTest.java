package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.Ffprobe;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the HTTP port with a certificate and key from PEM files: a client that trusts the certificate gets the API
 * and a real ffprobe plays HTTP-FLV over TLS; plain HTTP to the port gets nowhere; an unusable key file stops the
 * node at start with a message naming it.
 */
class HttpsTest {

    @TempDir
    Path dir;

    @Test
    void theHttpPortServesHttpsWithThePemCertificate() throws Exception {
        X509Certificate certificate = writeSelfSigned(dir.resolve("chain.pem"), dir.resolve("key.pem"));
        try (LiveShardNode node = TestNode.start(Map.of("liveshard.http.tls.enabled", true,
                "liveshard.http.tls.certificate-chain", dir.resolve("chain.pem").toString(),
                "liveshard.http.tls.private-key", dir.resolve("key.pem").toString()));
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/secure", 30, 30)) {
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
            HttpResponse<String> time = trusting.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + node.httpPort() + "/api/v1/time")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, time.statusCode());
            assertTrue(time.body().contains("serverTimeMillis"), time.body());

            StreamProbe.awaitLiveWithGop(node, new StreamKey("live", "secure"));
            Ffprobe.Result probe = Ffprobe.probe("https://127.0.0.1:" + node.httpPort() + "/live/secure.flv", 2);
            assertEquals("h264", probe.stream("video").get("codec_name"), probe.output());

            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + node.httpPort() + "/api/v1/time"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP is not served on an HTTPS port");
        }
    }

    @Test
    void anUnusableKeyStopsTheNodeAtStart() throws Exception {
        writeSelfSigned(dir.resolve("chain.pem"), dir.resolve("key.pem"));
        Files.writeString(dir.resolve("key.pem"), "not a key\n");
        Exception failure = assertThrows(Exception.class, () -> TestNode.start(Map.of(
                "liveshard.http.tls.enabled", true,
                "liveshard.http.tls.certificate-chain", dir.resolve("chain.pem").toString(),
                "liveshard.http.tls.private-key", dir.resolve("key.pem").toString())).close());
        String message = String.valueOf(failure.getMessage()) + " " + failure.getCause();
        assertTrue(message.contains("key.pem"), message);
    }

    /** An ECDSA P-256 certificate for localhost and 127.0.0.1, as chain and key PEM files. */
    private static X509Certificate writeSelfSigned(Path chain, Path key) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        Files.writeString(chain, pem(certificate));
        Files.writeString(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
        return certificate;
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("node", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
