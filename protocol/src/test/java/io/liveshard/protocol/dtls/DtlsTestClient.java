package io.liveshard.protocol.dtls;

import io.liveshard.protocol.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
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
 * A browser's side of DTLS-SRTP built from BouncyCastle's client: its own self-signed certificate, use_srtp with
 * the given profile codes in the given order, and a check of the server's fingerprint as a browser does.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
final class DtlsTestClient extends DefaultTlsClient {

    private final BcTlsCrypto bcCrypto;
    private final DtlsCertificate certificate;
    private final DtlsFingerprint serverFingerprint;
    private final int[] offeredProfiles;
    SrtpProfile selected;
    DtlsSrtpKeys keys;

    DtlsTestClient(DtlsCertificate certificate, DtlsFingerprint serverFingerprint, int... offeredProfiles) {
        this(new BcTlsCrypto(new SecureRandom()), certificate, serverFingerprint, offeredProfiles);
    }

    private DtlsTestClient(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint serverFingerprint,
                           int[] offeredProfiles) {
        super(crypto);
        this.bcCrypto = crypto;
        this.certificate = certificate;
        this.serverFingerprint = serverFingerprint;
        this.offeredProfiles = offeredProfiles;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return 10_000;
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
        selected = SrtpProfile.fromCode(chosen.getProtectionProfiles()[0]).orElseThrow();
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                byte[] der = server.getCertificate().getCertificateAt(0).getEncoded();
                if (!serverFingerprint.matches(der)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, "server fingerprint mismatch");
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
