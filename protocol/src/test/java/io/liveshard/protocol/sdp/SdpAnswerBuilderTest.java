package io.liveshard.protocol.sdp;

import static io.liveshard.protocol.sdp.SdpFixtures.CHROMIUM_OFFER;
import static io.liveshard.protocol.sdp.SdpFixtures.GSTREAMER_OFFER;
import static io.liveshard.protocol.sdp.SdpFixtures.LOCAL;
import static io.liveshard.protocol.sdp.SdpFixtures.parse;
import static io.liveshard.protocol.sdp.SdpFixtures.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SdpAnswerBuilderTest {

    private static final long SESSION_ID = 4611731400430051336L;

    private static SdpAnswer answer(String offer, SdpStreamMedia stream) throws SdpException {
        return SdpAnswerBuilder.answer(parse(offer), LOCAL, stream, SESSION_ID);
    }

    private static final List<String> TRANSPORT_LINES = List.of(
            "a=sendonly",
            "a=msid:live-cam1 live-cam1-%s",
            "a=rtcp-mux",
            "a=setup:passive",
            "a=fingerprint:sha-256 " + SdpFixtures.LOCAL_FINGERPRINT,
            "a=ice-ufrag:LsUf",
            "a=ice-pwd:liveshardLocalPassword24",
            "a=candidate:1 1 udp 2130706431 192.0.2.10 8000 typ host",
            "a=candidate:2 1 udp 2130706175 2001:db8::10 8000 typ host",
            "a=end-of-candidates");

    /** The whole answer to the Chromium offer for a constrained-baseline source with Opus, line by line. */
    @Test
    void answersChromiumOfferExactly() throws SdpException {
        SdpAnswer answer = answer(CHROMIUM_OFFER, stream("42e01f", true));
        List<String> expected = new java.util.ArrayList<>(List.of(
                "v=0", "o=- 4611731400430051336 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
                "a=ice-lite",
                "a=ice-ufrag:LsUf",
                "a=ice-pwd:liveshardLocalPassword24",
                "a=fingerprint:sha-256 " + SdpFixtures.LOCAL_FINGERPRINT,
                "m=video 9 UDP/TLS/RTP/SAVPF 106 107", "c=IN IP4 0.0.0.0", "a=mid:0"));
        TRANSPORT_LINES.forEach(line -> expected.add(String.format(line, "video")));
        expected.addAll(List.of(
                "a=rtpmap:106 H264/90000",
                "a=rtcp-fb:106 nack",
                "a=rtcp-fb:106 nack pli",
                "a=rtcp-fb:106 ccm fir",
                "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "a=rtpmap:107 rtx/90000",
                "a=fmtp:107 apt=106",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:1"));
        TRANSPORT_LINES.forEach(line -> expected.add(String.format(line, "audio")));
        expected.add("a=rtpmap:111 opus/48000/2");
        expected.add("a=fmtp:111 minptime=10;useinbandfec=1");
        assertEquals(String.join("\r\n", expected) + "\r\n", answer.text());

        assertEquals(Optional.of(new SdpAnswer.Video(Optional.of("0"), 106, new SdpH264ProfileLevelId(0x42, 0xe0, 0x1f),
                OptionalInt.of(107), true, true, true)), answer.video());
        assertEquals(Optional.of(new SdpAnswer.Audio(Optional.of("1"), 111)), answer.audio());
        assertEquals("EsAw", answer.remoteIceUfrag());
        assertEquals("bP+XJMM09aR8AiX1jdukzR6Y", answer.remoteIcePwd());
        assertTrue(answer.remoteFingerprint().value().startsWith("DA:7B:57"));
    }

    /** An offer Chromium 156 made: the packetization-mode=1 type of the source's own profile, its RTX, Opus. */
    @Test
    void answersACapturedChromiumOffer() throws SdpException {
        SdpAnswer answer = answer(SdpFixtures.CAPTURED_CHROMIUM_OFFER, stream("42e01f", true));
        assertEquals(Optional.of(new SdpAnswer.Video(Optional.of("0"), 108, new SdpH264ProfileLevelId(0x42, 0xe0, 0x1f),
                OptionalInt.of(109), true, true, true)), answer.video());
        assertEquals(Optional.of(new SdpAnswer.Audio(Optional.of("1"), 111)), answer.audio());
        assertEquals("x6Hj", answer.remoteIceUfrag());
        assertEquals("cwRpZoX4mRPb88JrAEekBaZd", answer.remoteIcePwd());
        assertTrue(answer.text().contains("a=group:BUNDLE 0 1\r\n"), answer.text());
        assertTrue(answer.text().contains("a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;"
                + "profile-level-id=42e01f\r\n"), answer.text());
    }

    /**
     * An offer Firefox ESR 153 made without its OpenH264 plugin (machines without internet never download it): it
     * parses, ICE credentials and the session-level fingerprint included, and is refused for what it lacks.
     */
    @Test
    void refusesACapturedFirefoxOfferWithoutH264ForThatReason() throws SdpException {
        SdpSession offer = parse(SdpFixtures.CAPTURED_FIREFOX_OFFER);
        assertEquals(List.of("0", "1"), offer.bundleMids());
        SdpException refused = assertThrows(SdpException.class,
                () -> answer(SdpFixtures.CAPTURED_FIREFOX_OFFER, stream("42e01f", true)));
        assertTrue(refused.getMessage().contains("H.264"), refused.getMessage());
    }

    /** The answer is itself SDP this parser reads, with the choices it announced. */
    @Test
    void answerParsesBack() throws SdpException {
        SdpSession parsed = parse(answer(CHROMIUM_OFFER, stream("64001f", true)).text());
        assertEquals(List.of("0", "1"), parsed.bundleMids());
        assertTrue(parsed.iceLite());
        SdpMedia video = parsed.media().get(0);
        assertEquals(SdpDirection.SENDONLY, video.direction());
        assertEquals(Optional.of(SdpSetup.PASSIVE), video.setup());
        assertEquals(List.of("112", "113"), video.formats());
        assertEquals(Optional.of("64001f"), video.payloadType(112).orElseThrow().fmtpParameter("profile-level-id"));
    }

    static Stream<Arguments> videoChoices() {
        return Stream.of(
                // source, offer, expected payload type, rtx, fmtp line
                Arguments.of("constrained baseline 3.1", "42e01f", CHROMIUM_OFFER, 106, 107,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"),
                Arguments.of("x264 baseline (constraint_set0+1)", "42c01f", CHROMIUM_OFFER, 102, 103,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"),
                Arguments.of("plain baseline", "42001e", CHROMIUM_OFFER, 102, 103,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f"),
                Arguments.of("main 3.1", "4d001f", CHROMIUM_OFFER, 127, 125,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f"),
                Arguments.of("main 4.0, level asymmetry", "4d0028", CHROMIUM_OFFER, 127, 125,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f"),
                Arguments.of("high 3.1", "64001f", CHROMIUM_OFFER, 112, 113,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f"),
                Arguments.of("high 5.1", "640033", CHROMIUM_OFFER, 112, 113,
                        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f"),
                Arguments.of("GStreamer, constrained baseline", "42e01f", GSTREAMER_OFFER, 96, 97,
                        "packetization-mode=1;profile-level-id=42e01f"),
                Arguments.of("GStreamer, baseline 4.0 above the offered level", "42e028", GSTREAMER_OFFER, 96, 97,
                        "packetization-mode=1;profile-level-id=42e01f"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("videoChoices")
    void choosesTheH264PayloadTypeThatFitsTheSource(String name, String source, String offer, int payloadType,
            int rtx, String fmtp) throws SdpException {
        SdpAnswer answer = answer(offer, stream(source, true));
        SdpAnswer.Video video = answer.video().orElseThrow();
        assertEquals(payloadType, video.payloadType());
        assertEquals(OptionalInt.of(rtx), video.rtxPayloadType());
        assertTrue(answer.text().contains("\r\na=fmtp:" + payloadType + " " + fmtp + "\r\n"), answer.text());
        assertTrue(answer.text().contains("\r\na=fmtp:" + rtx + " apt=" + payloadType + "\r\n"), answer.text());
    }

    @Test
    void answersGStreamerOfferWithItsMidsAndUpperCaseOpus() throws SdpException {
        SdpAnswer answer = answer(GSTREAMER_OFFER, stream("42e01f", true));
        assertTrue(answer.text().contains("\r\na=group:BUNDLE video0 audio1\r\n"));
        assertTrue(answer.text().contains("\r\nm=audio 9 UDP/TLS/RTP/SAVPF 98\r\nc=IN IP4 0.0.0.0\r\na=mid:audio1\r\n"));
        assertTrue(answer.text().contains("\r\na=rtpmap:98 opus/48000/2\r\n"));
        assertEquals("Zx3yPq7LmN0aBcDe", answer.remoteIceUfrag());
    }

    /** A superset profile serves when the offer lacks the source's own: Main streams decode as High. */
    @Test
    void fallsBackToAProfileThatDecodesTheSource() throws SdpException {
        String offer = CHROMIUM_OFFER.replace("profile-level-id=4d001f", "profile-level-id=58001f");
        assertEquals(112, answer(offer, stream("4d001f", true)).video().orElseThrow().payloadType());
    }

    @Test
    void rejectsAudioWithPortZeroWhenTheStreamHasNoOpus() throws SdpException {
        SdpAnswer answer = answer(CHROMIUM_OFFER, stream("42e01f", false));
        assertEquals(Optional.empty(), answer.audio());
        assertTrue(answer.text().contains("\r\na=group:BUNDLE 0\r\n"), answer.text());
        assertTrue(answer.text().endsWith("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n"
                + "a=inactive\r\na=setup:passive\r\na=fingerprint:sha-256 " + SdpFixtures.LOCAL_FINGERPRINT
                + "\r\na=ice-ufrag:LsUf\r\na=ice-pwd:liveshardLocalPassword24\r\na=rtpmap:111 opus/48000/2\r\n"),
                answer.text());
    }

    @Test
    void announcesTheVideoSsrcWhenGiven() throws SdpException {
        SdpAnswer answer = SdpAnswerBuilder.answer(parse(CHROMIUM_OFFER), LOCAL,
                new SdpStreamMedia(Optional.of(SdpH264ProfileLevelId.parse("42e01f")), false, "live-cam1",
                        OptionalLong.of(0xDEADBEEFL)), SESSION_ID);
        assertTrue(answer.text().contains("\r\na=ssrc:3735928559 cname:live-cam1\r\n"
                + "a=ssrc:3735928559 msid:live-cam1 live-cam1-video\r\n"), answer.text());
    }

    @Test
    void announcesAudioAndRtxSsrcsWithTheFidGroup() throws SdpException {
        SdpAnswer answer = SdpAnswerBuilder.answer(parse(CHROMIUM_OFFER), LOCAL,
                new SdpStreamMedia(Optional.of(SdpH264ProfileLevelId.parse("42e01f")), true, "live-cam1",
                        OptionalLong.of(1), OptionalLong.of(2), OptionalLong.of(3)), SESSION_ID);
        String text = answer.text();
        assertTrue(text.contains("\r\na=fmtp:107 apt=106\r\na=ssrc-group:FID 1 3\r\n"
                + "a=ssrc:1 cname:live-cam1\r\na=ssrc:1 msid:live-cam1 live-cam1-video\r\n"
                + "a=ssrc:3 cname:live-cam1\r\na=ssrc:3 msid:live-cam1 live-cam1-video\r\n"), text);
        assertTrue(text.endsWith("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
                + "a=ssrc:2 cname:live-cam1\r\na=ssrc:2 msid:live-cam1 live-cam1-audio\r\n"), text);
    }

    @Test
    void withoutRtxInTheOfferNoRtxSsrcIsAnnounced() throws SdpException {
        String offer = CHROMIUM_OFFER.replaceAll(
                "(?m)^a=(rtpmap|fmtp):(\\d+) (rtx/90000|apt=\\d+)\r?\n", "");
        SdpAnswer answer = SdpAnswerBuilder.answer(parse(offer), LOCAL,
                new SdpStreamMedia(Optional.of(SdpH264ProfileLevelId.parse("42e01f")), false, "live-cam1",
                        OptionalLong.of(1), OptionalLong.of(2), OptionalLong.of(3)), SESSION_ID);
        assertEquals(OptionalInt.empty(), answer.video().orElseThrow().rtxPayloadType());
        assertTrue(!answer.text().contains("ssrc-group") && !answer.text().contains("a=ssrc:3 "), answer.text());
    }

    @Test
    void servesAudioOnlyStreamsAndRejectsVideo() throws SdpException {
        SdpAnswer answer = SdpAnswerBuilder.answer(parse(CHROMIUM_OFFER), LOCAL,
                new SdpStreamMedia(Optional.empty(), true, "radio"), SESSION_ID);
        assertEquals(Optional.empty(), answer.video());
        assertTrue(answer.text().contains("\r\na=group:BUNDLE 1\r\n"));
        assertTrue(answer.text().contains("\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
                + "a=inactive\r\n"));
    }

    @Test
    void rejectsSectionsOutsideBundleNonRtpAndSendOnly() throws SdpException {
        String offer = String.join("\r\n", "v=0", "o=- 1 0 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE v",
                "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuv",
                "a=fingerprint:sha-256 " + SdpFixtures.LOCAL_FINGERPRINT,
                "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:w", "a=recvonly", "a=rtpmap:96 H264/90000",
                "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f",
                "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:v", "a=recvonly", "a=rtpmap:96 H264/90000",
                "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=mid:a", "a=sendonly", "a=rtpmap:111 opus/48000/2",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:d", "");
        SdpAnswer answer = answer(offer, stream("42e01f", true));
        assertEquals(Optional.of("v"), answer.video().orElseThrow().mid());
        assertEquals(Optional.empty(), answer.audio());
        String text = answer.text();
        assertTrue(text.contains("m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:w\r\na=inactive\r\n"));
        assertTrue(text.contains("m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:v\r\n"));
        assertTrue(text.contains("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n"));
        assertTrue(text.contains("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n"));
        assertTrue(text.contains("\r\na=group:BUNDLE v\r\n"));
    }

    @Test
    void answersASingleSectionWithoutBundle() throws SdpException {
        String offer = String.join("\n", "v=0", "o=- 1 0 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuv",
                "a=fingerprint:sha-256 " + SdpFixtures.LOCAL_FINGERPRINT, "a=rtpmap:96 H264/90000",
                "a=fmtp:96 packetization-mode=1");
        SdpAnswer answer = answer(offer, stream("42e01f", false));
        assertTrue(!answer.text().contains("a=group"));
        assertTrue(!answer.text().contains("a=mid"));
        // No profile-level-id means 420010 (RFC 6184 section 8.1): Baseline, which a 42e0 source satisfies.
        assertTrue(answer.text().contains("a=fmtp:96 packetization-mode=1;profile-level-id=42000a\r\n"));
        assertEquals(OptionalInt.empty(), answer.video().orElseThrow().rtxPayloadType());
        assertTrue(!answer.text().contains("rtcp-fb"));
    }

    static Stream<Arguments> refusals() {
        String chromium = CHROMIUM_OFFER;
        return Stream.of(
                Arguments.of("only packetization-mode 0", chromium.replace("packetization-mode=1", "packetization-mode=0"),
                        "42e01f", "no H.264 payload type with packetization-mode=1"),
                Arguments.of("no H.264 at all", chromium.replace("H264/90000", "H265/90000"), "42e01f",
                        "no H.264 payload type with packetization-mode=1"),
                Arguments.of("profile the offer cannot decode", GSTREAMER_OFFER, "64001f",
                        "H.264 profiles [42e01f] cannot decode the stream's 64001f"),
                Arguments.of("no ICE ufrag", chromium.replace("a=ice-ufrag:EsAw\r\n", ""), "42e01f",
                        "no ICE credentials (a=ice-ufrag)"),
                Arguments.of("no ICE password", chromium.replace("a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n", ""),
                        "42e01f", "no ICE credentials (a=ice-pwd)"),
                Arguments.of("sha-1 fingerprint only", chromium.replaceAll(
                        "a=fingerprint:sha-256 [0-9A-F:]+", "a=fingerprint:sha-1 " + "AB:".repeat(19) + "AB"),
                        "42e01f", "no sha-256 a=fingerprint"),
                Arguments.of("offerer wants to be DTLS server", chromium.replace("a=setup:actpass", "a=setup:passive"),
                        "42e01f", "a=setup:passive"),
                Arguments.of("ICE-lite offerer", chromium.replace("a=extmap-allow-mixed", "a=ice-lite"), "42e01f",
                        "offer is ICE-lite"),
                Arguments.of("two sections without BUNDLE", chromium.replace("a=group:BUNDLE 0 1\r\n", ""), "42e01f",
                        "no a=group:BUNDLE"),
                Arguments.of("video section sendonly", chromium.replaceFirst("a=recvonly", "a=sendonly"), "42e01f",
                        "must use UDP/TLS/RTP/SAVPF, be in the BUNDLE group and be recvonly or sendrecv"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithAReasonForTheClient(String name, String offer, String source, String reasonPart) {
        SdpException e = assertThrows(SdpException.class, () -> answer(offer, stream(source, true)));
        assertTrue(e.getMessage().contains(reasonPart), () -> "message was: " + e.getMessage());
    }

    @Test
    void refusesWhenNothingCanBeServed() {
        SdpStreamMedia nothing = new SdpStreamMedia(Optional.empty(), false, "x");
        SdpException e = assertThrows(SdpException.class,
                () -> SdpAnswerBuilder.answer(parse(CHROMIUM_OFFER), LOCAL, nothing, 1));
        assertTrue(e.getMessage().contains("no media section the stream can send"), e.getMessage());
    }

    @Test
    void validatesLocalInputs() {
        SdpFingerprint sha256 = new SdpFingerprint("sha-256", SdpFixtures.LOCAL_FINGERPRINT);
        List<SdpCandidate> candidates = List.of(new SdpCandidate("127.0.0.1", 8000));
        assertThrows(IllegalArgumentException.class,
                () -> new SdpLocalTransport("ab", "liveshardLocalPassword24", sha256, candidates));
        assertThrows(IllegalArgumentException.class,
                () -> new SdpLocalTransport("LsUf", "liveshardLocalPassword24", sha256, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SdpLocalTransport("LsUf", "liveshardLocalPassword24",
                new SdpFingerprint("sha-1", "AB:".repeat(19) + "AB"), candidates));
        assertThrows(IllegalArgumentException.class, () -> new SdpCandidate("example.com", 8000));
        assertThrows(IllegalArgumentException.class, () -> new SdpCandidate("256.1.1.1", 8000));
        assertThrows(IllegalArgumentException.class, () -> new SdpCandidate("127.0.0.1", 0));
        assertThrows(IllegalArgumentException.class, () -> new SdpStreamMedia(Optional.empty(), true, "a b"));
    }
}
