package io.liveshard.protocol.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A node's self-signed DTLS certificate: ECDSA on P-256 with SHA-256, the key type browsers generate for WebRTC
 * themselves. Nobody validates its chain: peers trust it because its fingerprint travels in the signed-in SDP
 * exchange (RFC 8827 section 6.5), so one per node, made at start-up, serves every session.
 */
public final class DtlsCertificate {

    /** Browsers ignore the validity of WebRTC certificates; a year outlives any node process. */
    static final Duration VALIDITY = Duration.ofDays(365);
    /** Backdating covers peers whose clocks run behind. */
    static final Duration BACKDATE = Duration.ofDays(1);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final DtlsFingerprint fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = DtlsFingerprint.of(DtlsFingerprint.SHA_256, der);
    }

    /** A fresh key pair and certificate with subject and issuer {@code CN=commonName}. */
    public static DtlsCertificate generate(String commonName, SecureRandom random) {
        X9ECParameters p256 = CustomNamedCurves.getByOID(X9ObjectIdentifiers.prime256v1);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        // Named, so the certificate carries the curve's OID: explicit curve parameters are refused by the JDK and
        // by browsers' certificate parsers (RFC 5480 section 2.1.1 forbids them in PKIX).
        generator.init(new ECKeyGenerationParameters(
                new ECNamedDomainParameters(X9ObjectIdentifiers.prime256v1, p256), random));
        AsymmetricCipherKeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + commonName);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(63, random).add(BigInteger.ONE), Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(VALIDITY)), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keys.getPublic()));
            AlgorithmIdentifier signature = new DefaultSignatureAlgorithmIdentifierFinder().find(SIGNATURE_ALGORITHM);
            AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(signature);
            byte[] der = builder.build(new BcECContentSignerBuilder(signature, digest).build(keys.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(der, keys.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException("dtls certificate encoding failed", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("dtls certificate signer unavailable", e);
        }
    }

    /** The SHA-256 fingerprint to announce in SDP ({@code a=fingerprint:} + {@link DtlsFingerprint#toSdp()}). */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** The DER encoding of the certificate. */
    public byte[] encoded() {
        return der.clone();
    }

    /**
     * Credentials that present this certificate and sign with its key in a handshake on {@code context}. Public
     * because a DTLS client needs the same credentials (the WebRTC client side presents a self-signed certificate
     * too): the node's test and load clients build theirs from this class instead of a second certificate maker.
     */
    public TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto) throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey, chain,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
