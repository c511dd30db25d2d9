package io.liveshard.protocol.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The offer fixtures of {@code /sdp} and a server-side transport for answers. */
final class SdpFixtures {

    static final String CHROMIUM_OFFER = resource("/sdp/chromium-whep-recvonly-offer.sdp");
    static final String GSTREAMER_OFFER = resource("/sdp/gstreamer-webrtcbin-recvonly-offer.sdp");
    /** Captured from Chromium 156 (Debian), recvonly video and audio transceivers, after ICE gathering. */
    static final String CAPTURED_CHROMIUM_OFFER = resource("/sdp/chromium-156-captured-offer.sdp");
    /** Captured from Firefox ESR 153 (Debian) without its OpenH264 plugin: no H.264 at all. */
    static final String CAPTURED_FIREFOX_OFFER = resource("/sdp/firefox-153esr-captured-offer.sdp");

    static final String LOCAL_FINGERPRINT =
            "0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0";

    static final SdpLocalTransport LOCAL = new SdpLocalTransport("LsUf", "liveshardLocalPassword24",
            new SdpFingerprint("sha-256", LOCAL_FINGERPRINT),
            List.of(new SdpCandidate("192.0.2.10", 8000), new SdpCandidate("2001:db8::10", 8000)));

    private SdpFixtures() {
    }

    static SdpStreamMedia stream(String profileLevelId, boolean opus) {
        try {
            return new SdpStreamMedia(Optional.of(SdpH264ProfileLevelId.parse(profileLevelId)), opus, "live-cam1");
        } catch (SdpException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static SdpSession parse(String text) throws SdpException {
        return SdpSession.parse(text, SdpLimits.defaults());
    }

    private static String resource(String path) {
        try (InputStream in = SdpFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
