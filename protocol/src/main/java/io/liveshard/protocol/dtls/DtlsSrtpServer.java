package io.liveshard.protocol.dtls;

import io.liveshard.protocol.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.Optional;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The server side of one DTLS-SRTP association (RFC 5764, with the WebRTC rules of RFC 8827): DTLS 1.2 with
 * ECDHE-ECDSA, a mandatory client certificate whose fingerprint must equal the one in the client's SDP offer, and
 * the {@code use_srtp} extension choosing {@link SrtpProfile}s in the server's order of preference. The result is
 * the negotiated profile with the master keys of both directions ({@link DtlsSrtpKeys}).
 *
 * <p><b>Blocking.</b> BouncyCastle's DTLS API blocks the calling thread in {@link #accept} until the handshake ends
 * (a few round trips, or {@link DtlsSrtpConfig#handshakeTimeout()}), and in {@link #receive}. The node must call
 * them on a dedicated blocking dispatcher or thread pool, never inside an actor or on the socket's reader thread,
 * which only {@link DtlsDatagramTransport#offer}s datagrams.
 *
 * <p>No HelloVerifyRequest cookie exchange: ICE connectivity checks have already proved the peer's address before
 * DTLS starts (RFC 8842 section 5), so the cookie round trip would only add latency to first frame.
 */
public final class DtlsSrtpServer {

    /** ECDSA suites only, as our certificate is ECDSA; AEAD first. Chrome, Firefox and Safari offer all of them. */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private final DtlsCertificate certificate;
    private final DtlsFingerprint clientFingerprint;
    private final DtlsSrtpConfig config;
    private final BcTlsCrypto crypto;
    private DTLSTransport dtls;

    /**
     * @param certificate this node's certificate, whose fingerprint went into the SDP answer
     * @param clientFingerprint the {@code a=fingerprint} of the client's SDP offer
     */
    public DtlsSrtpServer(DtlsCertificate certificate, DtlsFingerprint clientFingerprint, DtlsSrtpConfig config,
                          SecureRandom random) {
        this.certificate = certificate;
        this.clientFingerprint = clientFingerprint;
        this.config = config;
        this.crypto = new BcTlsCrypto(random);
    }

    /**
     * Runs the handshake over {@code transport}, blocking until it completes, fails or times out.
     *
     * @throws DtlsSrtpException with the reason: timeout, fingerprint mismatch, no common SRTP profile, an alert
     */
    public DtlsSrtpKeys accept(DtlsDatagramTransport transport) throws DtlsSrtpException {
        Peer peer = new Peer();
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false);
        try {
            dtls = protocol.accept(peer, transport);
        } catch (IOException e) {
            transport.close();
            throw new DtlsSrtpException("dtls-srtp handshake failed: " + describe(e), e);
        }
        return peer.keys;
    }

    /**
     * After {@link #accept}: waits up to {@code waitMillis} (at least 1: BouncyCastle reads 0 as no limit) for
     * application data. Call it whenever a DTLS datagram of the client arrives while the association lives: it is
     * where BouncyCastle resends its last flight when the client's Finished shows that flight was lost, and where a
     * close_notify ends the association. One thread at a time.
     *
     * @return octets of application data, or -1 when nothing arrived in time
     * @throws IOException when the client closed or broke the association
     */
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (dtls == null) {
            throw new IllegalStateException("dtls handshake not completed");
        }
        return dtls.receive(buf, off, len, waitMillis);
    }

    /** Sends close_notify after a completed handshake and closes the transport. */
    public void close() throws IOException {
        if (dtls != null) {
            dtls.close();
        }
    }

    private String describe(IOException e) {
        if (e instanceof TlsFatalAlertReceived received) {
            return "client sent alert " + AlertDescription.getText(received.getAlertDescription());
        }
        if (e instanceof TlsFatalAlert) {
            // BouncyCastle's message is already "alert_name(code); detail".
            return e.getMessage();
        }
        if (e instanceof TlsTimeoutException) {
            return "no complete handshake within " + config.handshakeTimeout().toMillis() + " ms";
        }
        return e.toString();
    }

    /** The BouncyCastle callbacks of one handshake; its API passes extensions as raw {@code Hashtable}s. */
    @SuppressWarnings("rawtypes")
    private final class Peer extends DefaultTlsServer {

        private SrtpProfile profile;
        private DtlsSrtpKeys keys;

        Peer() {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            // RFC 8827 section 6.5: DTLS 1.2 or later; BouncyCastle's DTLS 1.3 is not released.
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return (int) config.handshakeTimeout().toMillis();
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return certificate.signer(context, crypto);
        }

        @Override
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offered == null) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "client offers no use_srtp extension");
            }
            profile = choose(offered.getProtectionProfiles()).orElseThrow(() -> new TlsFatalAlert(
                    AlertDescription.handshake_failure, "no common srtp profile: client offers "
                    + describeProfiles(offered.getProtectionProfiles()) + ", server accepts " + config.profiles()));
        }

        private Optional<SrtpProfile> choose(int[] offered) {
            for (SrtpProfile candidate : config.profiles()) {
                for (int code : offered) {
                    if (code == candidate.code()) {
                        return Optional.of(candidate);
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public Hashtable getServerExtensions() throws IOException {
            Hashtable extensions = super.getServerExtensions();
            // RFC 5764 section 4.1.1: exactly one profile, and no MKI as WebRTC never uses one.
            TlsSRTPUtils.addUseSRTPExtension(extensions,
                    new UseSRTPData(new int[] {profile.code()}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            // RFC 8827 section 6.5: both sides present a certificate, checked against the SDP fingerprint.
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                    TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            if (clientCertificate == null || clientCertificate.isEmpty()) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "client presented no certificate");
            }
            byte[] der = clientCertificate.getCertificateAt(0).getEncoded();
            if (!clientFingerprint.matches(der)) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, "client certificate "
                        + DtlsFingerprint.of(clientFingerprint.hashFunction(), der)
                        + " does not match the sdp fingerprint " + clientFingerprint);
            }
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = DtlsSrtpKeys.exported(context, profile);
        }
    }

    private static String describeProfiles(int[] codes) {
        StringBuilder out = new StringBuilder("[");
        for (int code : codes) {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(SrtpProfile.fromCode(code).map(Enum::name).orElse(String.format("0x%04x", code)));
        }
        return out.append(']').toString();
    }
}
