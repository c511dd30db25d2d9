package io.liveshard.protocol.sdp;

import static io.liveshard.protocol.sdp.SdpFixtures.CHROMIUM_OFFER;
import static io.liveshard.protocol.sdp.SdpFixtures.GSTREAMER_OFFER;
import static io.liveshard.protocol.sdp.SdpFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SdpSessionTest {

    @Test
    void parsesChromiumOffer() throws SdpException {
        SdpSession offer = parse(CHROMIUM_OFFER);
        assertEquals("4215775240449105457", offer.sessionId());
        assertEquals(List.of("0", "1"), offer.bundleMids());
        assertFalse(offer.iceLite());
        assertEquals(2, offer.media().size());

        SdpMedia video = offer.media().get(0);
        assertEquals("video", video.kind());
        assertEquals(9, video.port());
        assertEquals(SdpMedia.WEBRTC_RTP_PROTOCOL, video.protocol());
        assertEquals(Optional.of("0"), video.mid());
        assertEquals(SdpDirection.RECVONLY, video.direction());
        assertTrue(video.rtcpMux());
        assertEquals(Optional.of("EsAw"), video.iceUfrag());
        assertEquals(Optional.of("bP+XJMM09aR8AiX1jdukzR6Y"), video.icePwd());
        assertEquals(Optional.of(SdpSetup.ACTPASS), video.setup());
        assertEquals(32, video.fingerprint("sha-256").orElseThrow().bytes().length);
        assertEquals(25, video.payloadTypes().size());
        assertEquals(11, video.extmaps().size());
        assertEquals(new SdpExtmap(9, "urn:ietf:params:rtp-hdrext:sdes:mid"), video.extmaps().get(8));

        SdpPayloadType h264 = video.payloadType(106).orElseThrow();
        assertTrue(h264.is("h264", 90000));
        assertEquals(Optional.of("42e01f"), h264.fmtpParameter("profile-level-id"));
        assertEquals(Optional.of("1"), h264.fmtpParameter("Packetization-Mode"));
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"), h264.rtcpFeedback());
        assertEquals(Optional.of("106"), video.payloadType(107).orElseThrow().fmtpParameter("apt"));
        assertEquals("ulpfec", video.payloadType(118).orElseThrow().encodingName());

        SdpMedia audio = offer.media().get(1);
        SdpPayloadType opus = audio.payloadType(111).orElseThrow();
        assertEquals(2, opus.channels());
        assertEquals("minptime=10;useinbandfec=1", opus.fmtp());
        SdpPayloadType red = audio.payloadType(63).orElseThrow();
        assertEquals("111/111", red.fmtp());
        assertEquals(Map.of(), red.fmtpParameters());
        assertEquals(1, audio.payloadType(0).orElseThrow().channels());
    }

    @Test
    void parsesGStreamerOffer() throws SdpException {
        SdpSession offer = parse(GSTREAMER_OFFER);
        assertEquals(List.of("video0", "audio1"), offer.bundleMids());
        assertEquals(Optional.of("video0"), offer.media().get(0).mid());
        assertTrue(offer.mediaByMid("audio1").orElseThrow().payloadType(98).orElseThrow().is("opus", 48000));
        assertEquals(Optional.of("Zx3yPq7LmN0aBcDe"), offer.media().get(1).iceUfrag());
        assertEquals(List.of("nack", "nack pli", "ccm fir"),
                offer.media().get(0).payloadType(96).orElseThrow().rtcpFeedback());
    }

    @Test
    void inheritsSessionLevelTransportAndAppliesWildcardFeedback() throws SdpException {
        SdpSession offer = parse(String.join("\r\n",
                "v=0", "o=- 1 0 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuv", "a=setup:active", "a=inactive",
                "a=fingerprint:sha-256 " + SdpFixtures.LOCAL_FINGERPRINT,
                "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:v", "a=recvonly", "a=rtpmap:96 H264/90000",
                "a=rtcp-fb:* nack", "a=rtcp-fb:96 nack  pli",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=mid:a", "a=ice-ufrag:wxyz", "a=rtpmap:111 opus/48000/2", ""));
        SdpMedia video = offer.media().get(0);
        assertEquals(Optional.of("abcd"), video.iceUfrag());
        assertEquals(Optional.of(SdpSetup.ACTIVE), video.setup());
        assertEquals(SdpDirection.RECVONLY, video.direction());
        assertEquals(List.of("nack", "nack pli"), video.payloadType(96).orElseThrow().rtcpFeedback());
        SdpMedia audio = offer.media().get(1);
        assertEquals(Optional.of("wxyz"), audio.iceUfrag());
        assertEquals(Optional.of("abcdefghijklmnopqrstuv"), audio.icePwd());
        assertEquals(SdpDirection.INACTIVE, audio.direction());
        assertEquals(SdpFixtures.LOCAL_FINGERPRINT, audio.fingerprint("sha-256").orElseThrow().value());
    }

    /** RFC 8866 section 5 asks for CRLF but parsers to accept LF; a mix of both reads the same. */
    @Test
    void acceptsLfAndMixedLineEndings() throws SdpException {
        SdpSession crlf = parse(CHROMIUM_OFFER);
        String lf = CHROMIUM_OFFER.replace("\r\n", "\n");
        StringBuilder mixed = new StringBuilder();
        String[] lines = lf.split("\n");
        for (int i = 0; i < lines.length; i++) {
            mixed.append(lines[i]).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        assertEquals(crlf, parse(lf));
        assertEquals(crlf, parse(mixed.toString()));
        assertEquals(crlf, parse(CHROMIUM_OFFER.trim()));
    }

    @Test
    void keepsNonRtpSectionsWithoutPayloadTypes() throws SdpException {
        SdpSession offer = parse(String.join("\n", "v=0", "o=- 1 0 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=mid:d", "a=sctp-port:5000"));
        assertEquals(List.of("webrtc-datachannel"), offer.media().get(0).formats());
        assertEquals(List.of(), offer.media().get(0).payloadTypes());
    }

    private static final String HEAD = "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
    private static final String VIDEO = "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("empty", "", "ends before"),
                Arguments.of("no m= lines", HEAD, "no media sections"),
                Arguments.of("no t= line", "v=0\r\no=- 1 0 IN IP4 0.0.0.0\r\ns=-\r\n" + VIDEO, "no t= line"),
                Arguments.of("version 1", "v=1\r\n", "line 1 has SDP version '1'"),
                Arguments.of("o= before v=", "o=- 1 0 IN IP4 0.0.0.0\r\nv=0\r\n", "line 1 is 'o='"),
                Arguments.of("short o= line", "v=0\r\no=- 1 0 IN IP4\r\n", "line 2 is not o=<username>"),
                Arguments.of("repeated v=", HEAD + "v=0\r\n", "line 5 repeats 'v='"),
                Arguments.of("not type=value", HEAD + "hello\r\n", "line 5 is not <type>=<value>"),
                Arguments.of("space before =", HEAD + "a =rtcp-mux\r\n", "line 5 is not <type>=<value>"),
                Arguments.of("upper-case type", HEAD + "A=rtcp-mux\r\n", "line 5 is not <type>=<value>"),
                Arguments.of("unknown type", HEAD + "x=1\r\n", "unknown type 'x='"),
                Arguments.of("t= inside media", HEAD + VIDEO + "t=0 0\r\n", "session-level 't=' inside a media"),
                Arguments.of("blank line in the middle", HEAD + "\r\n" + VIDEO, "line 5 is not <type>=<value>"),
                Arguments.of("NUL byte", HEAD + "a=mid:\u0000\r\n" + VIDEO, "control character 0x0"),
                Arguments.of("bare CR inside a line", HEAD + "a=x\ry\r\n" + VIDEO, "control character 0xd"),
                Arguments.of("m= without formats", HEAD + "m=video 9 UDP/TLS/RTP/SAVPF\r\n", "is not m=<media>"),
                Arguments.of("port 70000", HEAD + "m=video 70000 UDP/TLS/RTP/SAVPF 96\r\n", "port 70000 out of"),
                Arguments.of("port not a number", HEAD + "m=video nine UDP/TLS/RTP/SAVPF 96\r\n", "port 'nine'"),
                Arguments.of("payload type 128", HEAD + "m=video 9 UDP/TLS/RTP/SAVPF 128\r\n",
                        "payload type 128 out of range 0..127"),
                Arguments.of("huge payload type", HEAD + "m=video 9 UDP/TLS/RTP/SAVPF 99999999999999999999\r\n",
                        "not a number"),
                Arguments.of("negative payload type", HEAD + "m=video 9 UDP/TLS/RTP/SAVPF -1\r\n", "'-1'"),
                Arguments.of("rtpmap without clock rate", HEAD + VIDEO + "a=rtpmap:96 H264\r\n", "is not a=rtpmap"),
                Arguments.of("rtpmap with huge payload type", HEAD + VIDEO + "a=rtpmap:4096 H264/90000\r\n",
                        "rtpmap payload type 4096 out of range"),
                Arguments.of("rtpmap with text clock rate", HEAD + VIDEO + "a=rtpmap:96 H264/fast\r\n",
                        "clock rate 'fast'"),
                Arguments.of("rtpmap with four parts", HEAD + VIDEO + "a=rtpmap:96 opus/48000/2/1\r\n",
                        "is not a=rtpmap"),
                Arguments.of("rtpmap twice", HEAD + VIDEO + "a=rtpmap:96 H264/90000\r\na=rtpmap:96 VP8/90000\r\n",
                        "repeats a=rtpmap for payload type 96"),
                Arguments.of("fmtp without parameters", HEAD + VIDEO + "a=fmtp:96\r\n", "is not a=fmtp"),
                Arguments.of("rtcp-fb without type", HEAD + VIDEO + "a=rtcp-fb:96\r\n", "is not a=rtcp-fb"),
                Arguments.of("extmap id 0", HEAD + VIDEO + "a=extmap:0 urn:x\r\n", "extmap id 0 out of range"),
                Arguments.of("extmap id 256", HEAD + VIDEO + "a=extmap:256 urn:x\r\n", "extmap id 256 out"),
                Arguments.of("two mids", HEAD + VIDEO + "a=mid:0\r\na=mid:1\r\n", "repeats a=mid"),
                Arguments.of("two directions", HEAD + VIDEO + "a=recvonly\r\na=sendrecv\r\n", "second direction"),
                Arguments.of("short ice-pwd", HEAD + "a=ice-pwd:short\r\n", "ice-pwd that is not 22..256"),
                Arguments.of("ufrag with colon", HEAD + "a=ice-ufrag:ab:cd\r\n", "ice-ufrag that is not"),
                Arguments.of("bad setup", HEAD + "a=setup:server\r\n", "a=setup:server"),
                Arguments.of("fingerprint not hex", HEAD + "a=fingerprint:sha-256 zz:yy\r\n", "not hex pairs"),
                Arguments.of("short sha-256", HEAD + "a=fingerprint:sha-256 AB:CD\r\n", "has 2 bytes, expected 32"),
                Arguments.of("fingerprint without value", HEAD + "a=fingerprint:sha-256\r\n", "must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusesHostileInput(String name, String text, String messagePart) {
        SdpException e = org.junit.jupiter.api.Assertions.assertThrows(SdpException.class, () -> parse(text));
        assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
    }

    @Test
    void enforcesLimits() {
        SdpLimits small = new SdpLimits(4096, 80, 10, 1);
        String longLine = HEAD + VIDEO + "a=x:" + "y".repeat(100) + "\r\n";
        assertRefused(longLine, small, "line 6 is 104 characters long, more than 80");
        assertRefused(HEAD + VIDEO + "a=rtcp-mux\r\n".repeat(10), small, "more than 10");
        assertRefused(HEAD + VIDEO + VIDEO, small, "media section 2, more than 1");
        assertRefused("v=0\r\n" + "a".repeat(5000), small, "exceeds the limit of 4096");
        String overlong = HEAD + VIDEO + "a=" + "z".repeat(5000) + "\r\n";
        assertRefused(overlong, SdpLimits.defaults(), "more than 4096");
    }

    @Test
    void survivesEveryTruncationOfRealOffers() {
        for (String offer : List.of(CHROMIUM_OFFER, GSTREAMER_OFFER)) {
            for (int length = 0; length < offer.length(); length += 7) {
                try {
                    parse(offer.substring(0, length));
                } catch (SdpException refused) {
                    assertFalse(refused.getMessage().isEmpty());
                }
            }
        }
    }

    @Test
    void survivesRandomGarbage() {
        java.util.Random random = new java.util.Random(8866);
        String alphabet = "vosmact=: /\r\n0123456789abcdefHIJ*;-";
        for (int i = 0; i < 5000; i++) {
            StringBuilder text = new StringBuilder(i % 3 == 0 ? HEAD : "");
            int length = random.nextInt(300);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                parse(text.toString());
            } catch (SdpException refused) {
                assertFalse(refused.getMessage().isEmpty());
            }
        }
    }

    private static void assertRefused(String text, SdpLimits limits, String messagePart) {
        SdpException e = org.junit.jupiter.api.Assertions.assertThrows(SdpException.class,
                () -> SdpSession.parse(text, limits));
        assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
    }
}
