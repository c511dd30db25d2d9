package io.liveshard.protocol.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The attributes that may stand at session level or in a media section, while they are read: ICE credentials,
 * fingerprints, setup and direction. A media section's own value wins over the session's.
 */
final class SdpTransportAttributes {

    Optional<String> iceUfrag = Optional.empty();
    Optional<String> icePwd = Optional.empty();
    final List<SdpFingerprint> fingerprints = new ArrayList<>();
    Optional<SdpSetup> setup = Optional.empty();
    Optional<SdpDirection> direction = Optional.empty();

    /** Reads the attribute if it is one of these and ignores any other name. */
    void attribute(SdpParser parser, String name, String argument) throws SdpException {
        Optional<SdpDirection> asDirection = SdpDirection.fromToken(name);
        if (asDirection.isPresent()) {
            if (direction.isPresent()) {
                throw parser.error("has a second direction attribute a=" + name);
            }
            direction = asDirection;
            return;
        }
        switch (name) {
            case "ice-ufrag" -> {
                if (iceUfrag.isPresent()) {
                    throw parser.error("repeats a=ice-ufrag");
                }
                iceUfrag = Optional.of(parser.iceUfrag(argument));
            }
            case "ice-pwd" -> {
                if (icePwd.isPresent()) {
                    throw parser.error("repeats a=ice-pwd");
                }
                icePwd = Optional.of(parser.icePwd(argument));
            }
            case "fingerprint" -> {
                try {
                    fingerprints.add(SdpFingerprint.parse(argument));
                } catch (SdpException e) {
                    throw parser.error("has " + e.getMessage());
                }
            }
            case "setup" -> {
                if (setup.isPresent()) {
                    throw parser.error("repeats a=setup");
                }
                setup = Optional.of(SdpSetup.fromToken(argument)
                        .orElseThrow(() -> parser.error("has a=setup:" + argument + ", not active, passive, actpass"
                                + " or holdconn")));
            }
            default -> {
                // Not a transport attribute.
            }
        }
    }
}
