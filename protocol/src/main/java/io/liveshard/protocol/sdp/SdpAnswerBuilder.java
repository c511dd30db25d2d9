package io.liveshard.protocol.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Answers a WHEP offer (RFC 9725) as an ICE-lite, DTLS-passive, send-only server (RFC 8829 section 5.3 shapes the
 * answer; RFC 8843 BUNDLE puts every accepted section on the one UDP port).
 *
 * <p>Per offered section, in order: the first video section that can carry the stream's H.264 and the first audio
 * section with opus/48000/2 are accepted; every other section is rejected with port 0 (RFC 8866 section 5.14). A
 * section is usable when it uses {@code UDP/TLS/RTP/SAVPF}, its offerer wants to receive, and (if the offer has a
 * BUNDLE group) it is in that group. The H.264 payload type is the offer's packetization-mode=1 type that best
 * fits the source's profile-level-id: the same profile_idc first (else a superset profile), then a level at
 * least the source's or level-asymmetry-allowed=1 (RFC 6184 section 8.2.2), then the same constraint flags, then
 * the offerer's order.
 */
public final class SdpAnswerBuilder {

    /** RFC 8829 section 5.3.1: the dummy port and address of sections whose addresses travel in a=candidate. */
    private static final String DUMMY_PORT = "9";
    private static final String DUMMY_CONNECTION = "c=IN IP4 0.0.0.0";

    /** RFC 8445 section 5.1.2.2: recommended type preference of host candidates. */
    private static final int HOST_TYPE_PREFERENCE = 126;

    /** RFC 8445 section 5.1.2.1: the local preference of the first candidate; later ones count down. */
    private static final int MAX_LOCAL_PREFERENCE = 65535;

    private static final String CRLF = "\r\n";

    private SdpAnswerBuilder() {
    }

    /**
     * @param offer     the parsed offer
     * @param local     the server's ICE credentials, certificate fingerprint and candidates
     * @param stream    what the stream can send
     * @param sessionId the o= line's sess-id (RFC 8829 section 5.2.1: a random 62-bit value)
     * @throws SdpException when the offer cannot be answered, with a reason for the WHEP client
     */
    public static SdpAnswer answer(SdpSession offer, SdpLocalTransport local, SdpStreamMedia stream, long sessionId)
            throws SdpException {
        if (offer.iceLite()) {
            throw new SdpException("offer is ICE-lite; an ICE-lite server needs a full ICE agent as its peer"
                    + " (RFC 8445 section 2.5)");
        }
        Optional<SdpAnswer.Video> video = Optional.empty();
        Optional<SdpAnswer.Audio> audio = Optional.empty();
        List<SdpMedia> accepted = new ArrayList<>();
        for (SdpMedia media : offer.media()) {
            if (!usable(offer, media)) {
                continue;
            }
            if (media.kind().equals("video") && video.isEmpty() && stream.h264().isPresent()) {
                video = chooseVideo(media, stream.h264().get());
                video.ifPresent(v -> accepted.add(media));
            } else if (media.kind().equals("audio") && audio.isEmpty() && stream.opusAudio()) {
                audio = media.payloadTypes().stream().filter(p -> p.is("opus", 48000) && p.channels() == 2)
                        .findFirst().map(p -> new SdpAnswer.Audio(media.mid(), p.payloadType()));
                audio.ifPresent(a -> accepted.add(media));
            }
        }
        if (stream.h264().isPresent() && video.isEmpty()) {
            throw new SdpException(whyNoVideo(offer, stream.h264().get()));
        }
        if (accepted.isEmpty()) {
            throw new SdpException("offer has no media section the stream can send (it has "
                    + (stream.opusAudio() ? "Opus audio" : "no audio") + " and no video)");
        }
        if (offer.bundleMids().isEmpty() && accepted.size() > 1) {
            throw new SdpException("offer has " + accepted.size() + " media sections but no a=group:BUNDLE; the"
                    + " server sends all media over one transport (RFC 8843)");
        }
        SdpMedia transport = accepted.get(0);
        String remoteUfrag = transport.iceUfrag().orElseThrow(() ->
                new SdpException("offer has no ICE credentials (a=ice-ufrag)"));
        String remotePwd = transport.icePwd().orElseThrow(() ->
                new SdpException("offer has no ICE credentials (a=ice-pwd)"));
        SdpFingerprint remoteFingerprint = transport.fingerprint(SdpFingerprint.SHA_256).orElseThrow(() ->
                new SdpException("offer has no sha-256 a=fingerprint (RFC 8827 section 6.5)"));
        if (transport.setup().filter(s -> s == SdpSetup.PASSIVE || s == SdpSetup.HOLDCONN).isPresent()) {
            throw new SdpException("offer has a=setup:" + transport.setup().get().token()
                    + "; the server is the DTLS server and needs actpass or active (RFC 8842 section 5.2)");
        }
        String text = write(offer, local, stream, sessionId, accepted, video, audio);
        return new SdpAnswer(text, video, audio, remoteUfrag, remotePwd, remoteFingerprint);
    }

    private static boolean usable(SdpSession offer, SdpMedia media) {
        boolean bundled = media.mid().filter(offer.bundleMids()::contains).isPresent();
        if (!offer.bundleMids().isEmpty() && !bundled) {
            return false;
        }
        // A bundle-only section (RFC 8843 section 6) has port 0 in the offer yet is meant to be used.
        return (media.port() != 0 || bundled) && media.protocol().equals(SdpMedia.WEBRTC_RTP_PROTOCOL)
                && media.direction().receives();
    }

    private static Optional<SdpAnswer.Video> chooseVideo(SdpMedia media, SdpH264ProfileLevelId source) {
        List<SdpH264Candidate> candidates = new ArrayList<>();
        for (SdpPayloadType payloadType : media.payloadTypes()) {
            SdpH264Candidate.of(payloadType, candidates.size()).ifPresent(candidates::add);
        }
        return candidates.stream().filter(c -> c.fit(source) > 0)
                .max(Comparator.comparingInt((SdpH264Candidate c) -> c.fit(source))
                        .thenComparingInt(c -> c.levelFits(source) ? 1 : 0)
                        .thenComparingInt(c -> c.constraints(source))
                        .thenComparingInt(c -> -c.order()))
                .map(c -> videoChoice(media, c));
    }

    private static SdpAnswer.Video videoChoice(SdpMedia media, SdpH264Candidate chosen) {
        int payloadType = chosen.payloadType().payloadType();
        OptionalInt rtx = media.payloadTypes().stream()
                .filter(p -> p.is("rtx", 90000))
                .filter(p -> p.fmtpParameter("apt").filter(Integer.toString(payloadType)::equals).isPresent())
                .mapToInt(SdpPayloadType::payloadType).findFirst();
        List<String> feedback = chosen.payloadType().rtcpFeedback();
        return new SdpAnswer.Video(media.mid(), payloadType, chosen.profileLevelId(), rtx,
                feedback.contains("nack"), feedback.contains("nack pli"), feedback.contains("ccm fir"));
    }

    private static String whyNoVideo(SdpSession offer, SdpH264ProfileLevelId source) {
        List<String> offered = new ArrayList<>();
        boolean fits = false;
        for (SdpMedia media : offer.media()) {
            if (media.kind().equals("video")) {
                for (SdpPayloadType payloadType : media.payloadTypes()) {
                    Optional<SdpH264Candidate> candidate = SdpH264Candidate.of(payloadType, 0);
                    candidate.ifPresent(c -> offered.add(c.profileLevelId().toHex()));
                    fits |= candidate.filter(c -> c.fit(source) > 0).isPresent();
                }
            }
        }
        if (offered.isEmpty()) {
            return "offer has no H.264 payload type with packetization-mode=1 (RFC 6184 section 6.3)";
        }
        if (!fits) {
            return "offer's H.264 profiles " + offered.stream().distinct().toList() + " cannot decode the stream's "
                    + source.toHex();
        }
        return "offer's video section with H.264 cannot carry the stream: it must use "
                + SdpMedia.WEBRTC_RTP_PROTOCOL + ", be in the BUNDLE group and be recvonly or sendrecv";
    }

    private static String write(SdpSession offer, SdpLocalTransport local, SdpStreamMedia stream, long sessionId,
            List<SdpMedia> accepted, Optional<SdpAnswer.Video> video, Optional<SdpAnswer.Audio> audio) {
        StringBuilder out = new StringBuilder(2048);
        line(out, "v=0");
        line(out, "o=- " + Long.toUnsignedString(sessionId) + " 1 IN IP4 127.0.0.1");
        line(out, "s=-");
        line(out, "t=0 0");
        if (!offer.bundleMids().isEmpty()) {
            StringBuilder group = new StringBuilder("a=group:BUNDLE");
            accepted.forEach(media -> group.append(' ').append(media.mid().orElseThrow()));
            line(out, group.toString());
        }
        line(out, "a=ice-lite");
        // Also at session level (RFC 8839 section 5.4, RFC 8122 section 5): some agents (werift) read a rejected
        // section's transport from the session level and would otherwise reset their ICE credentials.
        line(out, "a=ice-ufrag:" + local.iceUfrag());
        line(out, "a=ice-pwd:" + local.icePwd());
        line(out, "a=fingerprint:" + SdpFingerprint.SHA_256 + " " + local.sha256Fingerprint().value());
        for (SdpMedia media : offer.media()) {
            if (!accepted.contains(media)) {
                writeRejected(out, media, local);
            } else if (media.kind().equals("video")) {
                writeVideo(out, media, local, stream, video.orElseThrow());
            } else {
                writeAudio(out, media, local, stream, audio.orElseThrow());
            }
        }
        return out.toString();
    }

    private static void writeVideo(StringBuilder out, SdpMedia media, SdpLocalTransport local, SdpStreamMedia stream,
            SdpAnswer.Video video) {
        int pt = video.payloadType();
        String formats = pt + (video.rtxPayloadType().isPresent() ? " " + video.rtxPayloadType().getAsInt() : "");
        writeTransport(out, media, formats, local, stream, "video");
        line(out, "a=rtpmap:" + pt + " H264/90000");
        if (video.nack()) {
            line(out, "a=rtcp-fb:" + pt + " nack");
        }
        if (video.pli()) {
            line(out, "a=rtcp-fb:" + pt + " nack pli");
        }
        if (video.fir()) {
            line(out, "a=rtcp-fb:" + pt + " ccm fir");
        }
        SdpPayloadType offered = media.payloadType(pt).orElseThrow();
        boolean asymmetry = offered.fmtpParameter("level-asymmetry-allowed").filter("1"::equals).isPresent();
        line(out, "a=fmtp:" + pt + " " + (asymmetry ? "level-asymmetry-allowed=1;" : "")
                + "packetization-mode=1;profile-level-id=" + video.profileLevelId().toHex());
        video.rtxPayloadType().ifPresent(rtx -> {
            line(out, "a=rtpmap:" + rtx + " rtx/90000");
            line(out, "a=fmtp:" + rtx + " apt=" + pt);
        });
        // RFC 5576: announcing the SSRC lets receivers that route by SSRC (werift) bind the stream to the track.
        if (stream.videoSsrc().isPresent()) {
            long ssrc = stream.videoSsrc().getAsLong();
            if (video.rtxPayloadType().isPresent() && stream.rtxSsrc().isPresent()) {
                // RFC 4588 section 8.7 / RFC 5576 section 4.2: the RTX stream that repairs the video stream.
                line(out, "a=ssrc-group:FID " + ssrc + " " + stream.rtxSsrc().getAsLong());
            }
            writeSsrc(out, ssrc, stream, "video");
            if (video.rtxPayloadType().isPresent()) {
                stream.rtxSsrc().ifPresent(rtx -> writeSsrc(out, rtx, stream, "video"));
            }
        }
    }

    private static void writeSsrc(StringBuilder out, long ssrc, SdpStreamMedia stream, String trackSuffix) {
        line(out, "a=ssrc:" + ssrc + " cname:" + stream.mediaStreamId());
        line(out, "a=ssrc:" + ssrc + " msid:" + stream.mediaStreamId() + " " + stream.mediaStreamId() + "-"
                + trackSuffix);
    }

    private static void writeAudio(StringBuilder out, SdpMedia media, SdpLocalTransport local, SdpStreamMedia stream,
            SdpAnswer.Audio audio) {
        writeTransport(out, media, Integer.toString(audio.payloadType()), local, stream, "audio");
        line(out, "a=rtpmap:" + audio.payloadType() + " opus/48000/2");
        // RFC 7587 section 6.1: the server sends 20 ms packets with in-band FEC (which the receiver may use).
        line(out, "a=fmtp:" + audio.payloadType() + " minptime=10;useinbandfec=1");
        stream.audioSsrc().ifPresent(ssrc -> writeSsrc(out, ssrc, stream, "audio"));
    }

    private static void writeTransport(StringBuilder out, SdpMedia media, String formats, SdpLocalTransport local,
            SdpStreamMedia stream, String trackSuffix) {
        line(out, "m=" + media.kind() + " " + DUMMY_PORT + " " + media.protocol() + " " + formats);
        line(out, DUMMY_CONNECTION);
        media.mid().ifPresent(mid -> line(out, "a=mid:" + mid));
        line(out, "a=sendonly");
        line(out, "a=msid:" + stream.mediaStreamId() + " " + stream.mediaStreamId() + "-" + trackSuffix);
        line(out, "a=rtcp-mux");
        line(out, "a=setup:passive");
        line(out, "a=fingerprint:" + SdpFingerprint.SHA_256 + " " + local.sha256Fingerprint().value());
        line(out, "a=ice-ufrag:" + local.iceUfrag());
        line(out, "a=ice-pwd:" + local.icePwd());
        List<SdpCandidate> candidates = local.candidates();
        for (int i = 0; i < candidates.size(); i++) {
            SdpCandidate candidate = candidates.get(i);
            // RFC 8445 section 5.1.2.1: priority = 2^24 type preference + 2^8 local preference + (256 - component).
            long priority = ((long) HOST_TYPE_PREFERENCE << 24) + ((long) (MAX_LOCAL_PREFERENCE - i) << 8) + 255;
            line(out, "a=candidate:" + (i + 1) + " 1 udp " + priority + " " + candidate.address() + " "
                    + candidate.port() + " typ host");
        }
        line(out, "a=end-of-candidates");
    }

    private static void writeRejected(StringBuilder out, SdpMedia media, SdpLocalTransport local) {
        String formats = media.formats().isEmpty() ? "0" : media.formats().get(0);
        line(out, "m=" + media.kind() + " 0 " + media.protocol() + " " + formats);
        line(out, DUMMY_CONNECTION);
        media.mid().ifPresent(mid -> line(out, "a=mid:" + mid));
        line(out, "a=inactive");
        // Transport attributes repeated in the declined section: agents that apply every section's transport to the
        // bundle (werift) would otherwise reset it.
        line(out, "a=setup:passive");
        line(out, "a=fingerprint:" + SdpFingerprint.SHA_256 + " " + local.sha256Fingerprint().value());
        line(out, "a=ice-ufrag:" + local.iceUfrag());
        line(out, "a=ice-pwd:" + local.icePwd());
        // The format's rtpmap, as offered: agents that check every section's codecs (werift) refuse one without it.
        try {
            media.payloadType(Integer.parseInt(formats)).ifPresent(offered -> line(out, "a=rtpmap:"
                    + offered.payloadType() + " " + offered.encodingName() + "/" + offered.clockRate()
                    + (offered.channels() > 1 ? "/" + offered.channels() : "")));
        } catch (NumberFormatException notAPayloadType) {
            // Non-RTP formats have no rtpmap.
        }
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append(CRLF);
    }
}
