package io.liveshard.protocol.srtp;

/**
 * Session keys of one direction of SRTP or SRTCP, as derived from the master key (RFC 3711 section 4.3).
 *
 * @param profile the protection profile they belong to
 * @param encryptionKey the session encryption key k_e
 * @param authKey the session authentication key k_a; empty for AEAD profiles
 * @param salt the session salt k_s
 */
public record SrtpSessionKeys(SrtpProfile profile, byte[] encryptionKey, byte[] authKey, byte[] salt) {

    public SrtpSessionKeys {
        if (encryptionKey.length != profile.masterKeyLength() || authKey.length != profile.authKeyLength()
                || salt.length != profile.masterSaltLength()) {
            throw new IllegalArgumentException("srtp " + profile + ": session key lengths "
                    + encryptionKey.length + "/" + authKey.length + "/" + salt.length + " do not fit the profile");
        }
        encryptionKey = encryptionKey.clone();
        authKey = authKey.clone();
        salt = salt.clone();
    }

    @Override
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    @Override
    public byte[] authKey() {
        return authKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public String toString() {
        // Keys stay out of logs.
        return "SrtpSessionKeys[" + profile + "]";
    }
}
