package io.liveshard.node.http;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Optional HTTPS on the HTTP port ({@code liveshard.http.tls}): a certificate chain and its private key, both PEM
 * files as certificate authorities and ACME clients write them, so that pages served over HTTPS can use WHEP and
 * HTTP-FLV without mixed-content errors.
 *
 * @param enabled          HTTPS instead of plain HTTP on the port
 * @param certificateChain PEM file: the node's certificate first, then any intermediates
 * @param privateKey       PEM file: its unencrypted private key (PKCS#8, or traditional RSA/EC)
 */
public record TlsSettings(boolean enabled, Path certificateChain, Path privateKey) {

    public static TlsSettings fromConfig(Config tls) {
        return new TlsSettings(tls.getBoolean("enabled"), Path.of(tls.getString("certificate-chain")),
                Path.of(tls.getString("private-key")));
    }

    /** The server's TLS context; a missing or unreadable file is a start-up error naming it. */
    public SSLContext sslContext() {
        try {
            List<Certificate> chain = readChain(certificateChain);
            PrivateKey key = readKey(privateKey);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("liveshard", key, password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("liveshard.http.tls: cannot use " + certificateChain + " and "
                    + privateKey + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> readChain(Path file) throws IOException, CertificateException {
        List<Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file); PEMParser pem = new PEMParser(reader)) {
            for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
                if (item instanceof X509CertificateHolder certificate) {
                    chain.add(converter.getCertificate(certificate));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new CertificateException("no certificate in " + file);
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file); PEMParser pem = new PEMParser(reader)) {
            for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    // Traditional keys from openssl carry their public key; without it, the private part alone.
                    return pair.getPublicKeyInfo() != null ? converter.getKeyPair(pair).getPrivate()
                            : converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        }
        throw new IOException("no unencrypted private key in " + file);
    }
}
