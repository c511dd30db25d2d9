package io.liveshard.protocol.dtls;

import io.liveshard.protocol.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The client side of one DTLS-SRTP association (RFC 5764, RFC 8827 6.5), as a browser plays it against
 * {@link DtlsSrtpServer}: DTLS 1.2, its own self-signed certificate (the one whose fingerprint went into the offer),
 * {@code use_srtp} offering AES-GCM then AES-CM in Chrome's order, the server's certificate checked against the
 * answer's fingerprint, and the client-side SRTP keys from the exporter. The node uses it to run its own handshakes
 * once at start; the load tool and the tests play viewers with it.
 *
 * <p><b>Blocking</b>, as the server: {@link #connect} returns when the handshake has ended.
 */
public final class DtlsSrtpClient {

    /** Chrome's order: SRTP_AEAD_AES_128_GCM, then SRTP_AES128_CM_HMAC_SHA1_80. */
    private static final int[] CHROME_PROFILES = {
        SrtpProfile.AEAD_AES_128_GCM.code(), SrtpProfile.AES_CM_128_HMAC_SHA1_80.code()};
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final DtlsCertificate certificate;
    private final DtlsFingerprint serverFingerprint;
    private final SecureRandom random;
    private final int[] offeredProfiles;
    private volatile DTLSTransport association;

    /**
     * A client offering Chrome's SRTP profiles.
     *
     * @param certificate       the client's certificate, whose fingerprint went into the offer
     * @param serverFingerprint the {@code a=fingerprint} of the server's answer
     */
    public DtlsSrtpClient(DtlsCertificate certificate, DtlsFingerprint serverFingerprint, SecureRandom random) {
        this(certificate, serverFingerprint, random, CHROME_PROFILES);
    }

    /**
     * A client offering {@code offeredProfiles} (RFC 5764 4.1.2 codes, in its order of preference; codes this module
     * has no {@link SrtpProfile} for may be offered, to see a server refuse them).
     */
    public DtlsSrtpClient(DtlsCertificate certificate, DtlsFingerprint serverFingerprint, SecureRandom random,
                          int... offeredProfiles) {
        this.certificate = certificate;
        this.serverFingerprint = serverFingerprint;
        this.random = random;
        this.offeredProfiles = offeredProfiles.clone();
    }

    /**
     * Runs the handshake over {@code transport}, blocking until it completes, fails or times out (10 s).
     *
     * @return the client's keys: local protects what the client sends (SRTCP feedback), remote what the server sends
     * @throws IOException with BouncyCastle's alert when the handshake fails
     */
    public DtlsSrtpKeys connect(DtlsDatagramTransport transport) throws IOException {
        Peer peer = new Peer(new BcTlsCrypto(random));
        association = new DTLSClientProtocol().connect(peer, transport);
        return peer.keys;
    }

    /** Ends the association {@link #connect} made with a close_notify alert, as a browser does when it hangs up. */
    public void close() throws IOException {
        DTLSTransport made = association;
        if (made != null) {
            made.close();
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private final class Peer extends DefaultTlsClient {

        private final BcTlsCrypto bcCrypto;
        private SrtpProfile selected;
        private DtlsSrtpKeys keys;

        Peer(BcTlsCrypto crypto) {
            super(crypto);
            this.bcCrypto = crypto;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return HANDSHAKE_TIMEOUT_MILLIS;
        }

        @Override
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (chosen == null || chosen.getProtectionProfiles().length != 1) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server must choose one srtp profile");
            }
            selected = SrtpProfile.fromCode(chosen.getProtectionProfiles()[0]).orElseThrow(() ->
                    new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose an srtp profile not offered"));
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                    byte[] der = server.getCertificate().getCertificateAt(0).getEncoded();
                    if (!serverFingerprint.matches(der)) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate,
                                "server certificate does not match the answer's fingerprint " + serverFingerprint);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    return certificate.signer(context, bcCrypto);
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = DtlsSrtpKeys.exported(context, selected);
        }
    }
}
