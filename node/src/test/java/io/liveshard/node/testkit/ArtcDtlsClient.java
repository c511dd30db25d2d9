package io.liveshard.node.testkit;

import io.liveshard.protocol.dtls.DtlsCertificate;
import io.liveshard.protocol.dtls.DtlsFingerprint;
import io.liveshard.protocol.dtls.DtlsSrtpKeys;
import io.liveshard.protocol.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
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
 * The browser's side of DTLS-SRTP (RFC 5764, RFC 8827 6.5) on BouncyCastle's client: DTLS 1.2, its own self-signed
 * certificate (the one whose fingerprint went into the offer), {@code use_srtp} offering AES-GCM then AES-CM as
 * Chrome does, the server's certificate checked against the answer's fingerprint, and the client-side SRTP keys
 * from the exporter.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class ArtcDtlsClient extends DefaultTlsClient {

    /** Chrome's order: SRTP_AEAD_AES_128_GCM, then SRTP_AES128_CM_HMAC_SHA1_80. */
    private static final int[] OFFERED_PROFILES = {
        SrtpProfile.AEAD_AES_128_GCM.code(), SrtpProfile.AES_CM_128_HMAC_SHA1_80.code()};
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final BcTlsCrypto bcCrypto;
    private final DtlsCertificate certificate;
    private final DtlsFingerprint serverFingerprint;
    private SrtpProfile selected;
    private volatile DtlsSrtpKeys keys;

    ArtcDtlsClient(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint serverFingerprint) {
        super(crypto);
        this.bcCrypto = crypto;
        this.certificate = certificate;
        this.serverFingerprint = serverFingerprint;
    }

    /** The client's keys: local protects what the client sends (SRTCP feedback), remote what the node sends. */
    DtlsSrtpKeys keys() {
        return keys;
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
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(OFFERED_PROFILES, TlsUtils.EMPTY_BYTES));
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
        byte[] material = context.exportKeyingMaterial(DtlsSrtpKeys.EXPORTER_LABEL, null,
                DtlsSrtpKeys.exporterLength(selected));
        keys = DtlsSrtpKeys.fromExporter(selected, material, false);
    }
}
