package io.liveshard.protocol.dtls;

import io.liveshard.protocol.srtp.SrtpContext;
import io.liveshard.protocol.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.tls.TlsContext;

/**
 * The outcome of a DTLS-SRTP handshake: the negotiated protection profile and the master keys and salts of both
 * directions, cut from the exporter output (RFC 5764 section 4.2).
 *
 * @param profile the SRTP protection profile both sides agreed on
 * @param localMasterKey protects what this side sends
 * @param localMasterSalt protects what this side sends
 * @param remoteMasterKey protects what the peer sends
 * @param remoteMasterSalt protects what the peer sends
 */
public record DtlsSrtpKeys(SrtpProfile profile, byte[] localMasterKey, byte[] localMasterSalt,
                           byte[] remoteMasterKey, byte[] remoteMasterSalt) {

    /** RFC 5764 section 4.2: the exporter label for DTLS-SRTP keying material. */
    private static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    public DtlsSrtpKeys {
        localMasterKey = localMasterKey.clone();
        localMasterSalt = localMasterSalt.clone();
        remoteMasterKey = remoteMasterKey.clone();
        remoteMasterSalt = remoteMasterSalt.clone();
    }

    /**
     * The keys of a handshake that has just completed on {@code context} with {@code profile} (RFC 5764 section
     * 4.2); which halves are local follows from the side {@code context} plays.
     */
    public static DtlsSrtpKeys exported(TlsContext context, SrtpProfile profile) throws IOException {
        byte[] material = context.exportKeyingMaterial(EXPORTER_LABEL, null, exporterLength(profile));
        return fromExporter(profile, material, context.isServer());
    }

    /** Octets to export for a profile: a key and a salt for each direction. */
    private static int exporterLength(SrtpProfile profile) {
        return 2 * (profile.masterKeyLength() + profile.masterSaltLength());
    }

    /**
     * RFC 5764 section 4.2: the exporter output is client key, server key, client salt, server salt.
     *
     * @param server whether this side is the DTLS server, which decides which halves are local
     */
    private static DtlsSrtpKeys fromExporter(SrtpProfile profile, byte[] material, boolean server) {
        int key = profile.masterKeyLength();
        int salt = profile.masterSaltLength();
        if (material.length != exporterLength(profile)) {
            throw new IllegalArgumentException("dtls-srtp " + profile + ": " + material.length
                    + " octets of keying material, expected " + exporterLength(profile));
        }
        byte[] clientKey = Arrays.copyOfRange(material, 0, key);
        byte[] serverKey = Arrays.copyOfRange(material, key, 2 * key);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * key, 2 * key + salt);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * key + salt, 2 * key + 2 * salt);
        return server
                ? new DtlsSrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt)
                : new DtlsSrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
    }

    /** A context that protects SRTP and SRTCP this side sends. */
    public SrtpContext newSendingContext() {
        return new SrtpContext(profile, localMasterKey, localMasterSalt);
    }

    /** A context that unprotects SRTP and SRTCP the peer sends. */
    public SrtpContext newReceivingContext() {
        return new SrtpContext(profile, remoteMasterKey, remoteMasterSalt);
    }

    @Override
    public byte[] localMasterKey() {
        return localMasterKey.clone();
    }

    @Override
    public byte[] localMasterSalt() {
        return localMasterSalt.clone();
    }

    @Override
    public byte[] remoteMasterKey() {
        return remoteMasterKey.clone();
    }

    @Override
    public byte[] remoteMasterSalt() {
        return remoteMasterSalt.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DtlsSrtpKeys that && profile == that.profile
                && Arrays.equals(localMasterKey, that.localMasterKey)
                && Arrays.equals(localMasterSalt, that.localMasterSalt)
                && Arrays.equals(remoteMasterKey, that.remoteMasterKey)
                && Arrays.equals(remoteMasterSalt, that.remoteMasterSalt);
    }

    @Override
    public int hashCode() {
        return profile.hashCode() * 31 + Arrays.hashCode(localMasterKey);
    }

    @Override
    public String toString() {
        // Keys stay out of logs.
        return "DtlsSrtpKeys[" + profile + "]";
    }
}
