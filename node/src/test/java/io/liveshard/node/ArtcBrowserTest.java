package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.node.testkit.ChromiumBrowser;
import io.liveshard.node.testkit.FfmpegPublisher;
import io.liveshard.node.testkit.StreamProbe;
import io.liveshard.node.testkit.TestNode;
import io.liveshard.protocol.media.StreamKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * artc end to end with the real browser: headless Chromium sends a recvonly WHEP offer, gets the answer, completes
 * ICE (lite) and DTLS-SRTP on the node's one UDP port, and decodes the H.264 and the Opus (transcoded from the AAC)
 * of a stream published by the real ffmpeg. The test reads framesDecoded, the audio codec, totalSamplesReceived and
 * concealedSamples from the browser's own getStats(); the audio track plays in an audio element, since Chromium
 * only pulls (decodes) remote audio that is rendered.
 */
class ArtcBrowserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String START = """
            (async () => {
              const pc = new RTCPeerConnection();
              window.pc = pc;
              pc.addTransceiver('video', {direction: 'recvonly'});
              pc.addTransceiver('audio', {direction: 'recvonly'});
              pc.ontrack = event => {
                if (event.track.kind === 'video') {
                  // Rendered, so that the first frame on screen can be timed against the POST.
                  const element = document.createElement('video');
                  element.muted = true;
                  element.srcObject = new MediaStream([event.track]);
                  document.body.appendChild(element);
                  element.play();
                  element.requestVideoFrameCallback(() => { window.firstFrameAt = performance.now(); });
                }
                if (event.track.kind === 'audio') {
                  const element = new Audio();
                  element.srcObject = new MediaStream([event.track]);
                  element.play();
                  window.audioElement = element;
                }
              };
              const offer = await pc.createOffer();
              await pc.setLocalDescription(offer);
              pc.onconnectionstatechange = () => {
                if (pc.connectionState === 'connected') { window.connectedAt = performance.now(); }
              };
              window.postedAt = performance.now();
              const response = await fetch('%s', {method: 'POST', headers: {'Content-Type': 'application/sdp'},
                                                  body: offer.sdp});
              const body = await response.text();
              window.whepLocation = response.headers.get('Location');
              if (response.status !== 201) {
                return 'WHEP answered ' + response.status + ': ' + body;
              }
              window.answeredAt = performance.now();
              await pc.setRemoteDescription({type: 'answer', sdp: body});
              return 'ok';
            })()
            """;

    private static final String FRAMES_DECODED = """
            (async () => {
              const stats = await window.pc.getStats();
              let frames = 0;
              stats.forEach(report => {
                if (report.type === 'inbound-rtp' && report.kind === 'video') { frames = report.framesDecoded || 0; }
              });
              return frames;
            })()
            """;

    /** The video receiver's counters: frames decoded, and freezes as WebRTC's statistics define them. */
    private static final String VIDEO = """
            (async () => {
              const stats = await window.pc.getStats();
              let video = {decoded: 0, freezes: 0, freezeSeconds: 0};
              stats.forEach(report => {
                if (report.type === 'inbound-rtp' && report.kind === 'video') {
                  video = {decoded: report.framesDecoded || 0, freezes: report.freezeCount,
                           freezeSeconds: report.totalFreezesDuration};
                }
              });
              return JSON.stringify(video);
            })()
            """;

    private static final String AUDIO = """
            (async () => {
              const stats = await window.pc.getStats();
              const codecs = {};
              stats.forEach(report => { if (report.type === 'codec') { codecs[report.id] = report.mimeType; } });
              let audio = {samples: 0, concealed: 0, packets: 0, codec: null};
              stats.forEach(report => {
                if (report.type === 'inbound-rtp' && report.kind === 'audio') {
                  audio = {samples: report.totalSamplesReceived || 0, concealed: report.concealedSamples || 0,
                           packets: report.packetsReceived || 0, codec: codecs[report.codecId] || null};
                }
              });
              return JSON.stringify(audio);
            })()
            """;

    /**
     * x264's default B-frames (a B-pyramid, whose reference B-frames Chromium cannot take out of order): artc leaves
     * them all out, and Chromium shows every frame it gets in presentation order, without asking for keyframes.
     */
    @Test
    void chromiumShowsAStreamWithBFramesInOrder() throws Exception {
        StreamKey key = new StreamKey("live", "bframes");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/bframes", 40, List.of("-preset", "veryfast",
                             "-bf", "3", "-b_strategy", "0", "-x264-params", "b-pyramid=normal", "-g", "60"));
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            playOverWhep(browser, node, key, 10);
            // The RTP timestamp of every frame put on screen: artc stamps frames with their presentation time.
            browser.evaluate("""
                    (() => {
                      window.shown = [];
                      const video = document.querySelector('video');
                      const onFrame = (now, frame) => {
                        window.shown.push(frame.rtpTimestamp);
                        video.requestVideoFrameCallback(onFrame);
                      };
                      video.requestVideoFrameCallback(onFrame);
                      return 'ok';
                    })()""");
            Thread.sleep(4000);
            JsonNode seen = MAPPER.readTree(browser.evaluate("""
                    (async () => {
                      let pli = 0;
                      (await window.pc.getStats()).forEach(report => {
                        if (report.type === 'inbound-rtp' && report.kind === 'video') { pli = report.pliCount; }
                      });
                      let backwards = 0;
                      for (let i = 1; i < window.shown.length; i++) {
                        if (window.shown[i] < window.shown[i - 1]) backwards++;
                      }
                      return JSON.stringify({shown: window.shown.length, backwards, pli});
                    })()"""));
            System.out.println("chromium, a stream with B-frames over artc: " + seen);
            assertEquals(0, seen.path("backwards").asInt(), "frames shown out of order: " + seen);
            assertTrue(seen.path("shown").asInt() >= 20, "about 8 fps shown: " + seen);
            assertTrue(seen.path("pli").asInt() <= 1, "no keyframe requests for broken frames: " + seen);
        }
    }

    /**
     * Opens a page of the node's own origin (loopback is a secure context, and the WHEP fetch is same-origin), starts
     * the WHEP session there and waits until Chromium has decoded {@code frames} video frames.
     */
    private static void playOverWhep(ChromiumBrowser browser, LiveShardNode node, StreamKey key, int frames)
            throws InterruptedException {
        String base = "http://127.0.0.1:" + node.httpPort() + "/";
        browser.navigate(base + "api/v1/streams/" + key.id());
        assertEquals("ok", browser.evaluate(START.formatted(base + key.id() + "/whep")));
        browser.await("(async () => (await " + FRAMES_DECODED + ") > " + frames + ")()", Duration.ofSeconds(20),
                frames + " video frames decoded over artc");
    }

    /** Stereo AAC, as OBS sends it, becomes stereo Opus; mono AAC becomes mono Opus, which Chromium plays too. */
    @ParameterizedTest(name = "{0} audio channel(s)")
    @ValueSource(ints = {2, 1})
    void chromiumPlaysAnRtmpStreamOverWhep(int audioChannels) throws Exception {
        StreamKey key = new StreamKey("live", "artc");
        try (LiveShardNode node = TestNode.start();
             FfmpegPublisher publisher = FfmpegPublisher.start(
                     "rtmp://127.0.0.1:" + node.rtmpPort() + "/live/artc", 40, 30, audioChannels);
             ChromiumBrowser browser = ChromiumBrowser.launch()) {
            StreamProbe.awaitLiveWithGop(node, key);
            String base = "http://127.0.0.1:" + node.httpPort();
            playOverWhep(browser, node, key, 30);
            browser.await("window.firstFrameAt !== undefined", Duration.ofSeconds(5), "a frame on screen");
            double firstFrameMillis = Double.parseDouble(browser.evaluate("window.firstFrameAt - window.postedAt"));
            System.out.printf("ArtcBrowserTest: first frame on screen %.0f ms after the WHEP POST (answer %s ms,"
                    + " ICE+DTLS connected %s ms)%n", firstFrameMillis,
                    browser.evaluate("Math.round(window.answeredAt - window.postedAt)"),
                    browser.evaluate("Math.round(window.connectedAt - window.postedAt)"));
            assertTrue(firstFrameMillis < 1000, "first frame " + firstFrameMillis + " ms after the POST");
            // The source's 30 fps: over 3 s at least 24 fps decoded, and no freeze as WebRTC defines one (a frame
            // later than three times the average interval, or 150 ms over it) except at most one short one: the
            // test's 2-core machine runs the encoder, the node and the browser at once.
            JsonNode videoBefore = MAPPER.readTree(browser.evaluate(VIDEO));
            Thread.sleep(3000);
            JsonNode videoAfter = MAPPER.readTree(browser.evaluate(VIDEO));
            System.out.println("chromium video over artc: " + videoBefore + " then, 3 s later, " + videoAfter);
            long decoded = videoAfter.path("decoded").asLong() - videoBefore.path("decoded").asLong();
            assertTrue(decoded >= 72, "decoded at the source's frame rate: " + videoBefore + " then " + videoAfter);
            assertTrue(videoAfter.path("freezes").isNumber(), "Chromium reports freezes: " + videoAfter);
            long freezes = videoAfter.path("freezes").asLong() - videoBefore.path("freezes").asLong();
            double frozenSeconds = videoAfter.path("freezeSeconds").asDouble()
                    - videoBefore.path("freezeSeconds").asDouble();
            assertTrue(freezes == 0 || freezes == 1 && frozenSeconds < 0.3,
                    "no freeze: " + videoBefore + " then " + videoAfter);

            browser.await("(async () => JSON.parse(await " + AUDIO + ").samples > 48000)()", Duration.ofSeconds(20),
                    "a second of audio decoded over artc");
            JsonNode audioBefore = MAPPER.readTree(browser.evaluate(AUDIO));
            Thread.sleep(2000);
            JsonNode audioAfter = MAPPER.readTree(browser.evaluate(AUDIO));
            System.out.println("chromium audio over artc: " + audioBefore + " then, 2 s later, " + audioAfter);
            assertEquals("audio/opus", audioAfter.path("codec").asText(), audioAfter.toString());
            long samples = audioAfter.path("samples").asLong() - audioBefore.path("samples").asLong();
            long concealed = audioAfter.path("concealed").asLong() - audioBefore.path("concealed").asLong();
            // 2 s at 48 kHz (Chromium counts samples per channel); generous bounds for a loaded 2-core machine.
            assertTrue(samples > 60_000, "audio keeps decoding: " + audioBefore + " then " + audioAfter);
            assertTrue(concealed < samples / 10, "little audio concealed: " + audioBefore + " then " + audioAfter);
            assertEquals("connected", browser.evaluate("window.pc.connectionState"));

            // Chromium's receiver reports reach the stream's metrics: round trip and the video's jitter.
            String stream = "app=\"live\",stream=\"artc\"";
            java.util.regex.Pattern videoJitter = java.util.regex.Pattern.compile(
                    "(?m)^liveshard_artc_jitter_seconds_count\\{app=\"live\",kind=\"video\",stream=\"artc\"} ([1-9][0-9.E]*)$");
            java.util.regex.Pattern roundTrip = java.util.regex.Pattern.compile(
                    "(?m)^liveshard_artc_round_trip_seconds_count\\{" + stream + "} ([1-9][0-9.E]*)$");
            String metrics = "";
            long metricsDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(videoJitter.matcher(metrics).find() && roundTrip.matcher(metrics).find())
                    && System.nanoTime() < metricsDeadline) {
                Thread.sleep(200);
                metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(videoJitter.matcher(metrics).find() && roundTrip.matcher(metrics).find(),
                    "Chromium's receiver reports in the artc metrics: " + metrics.lines()
                            .filter(line -> line.startsWith("liveshard_artc_round_trip_seconds_count")
                                    || line.startsWith("liveshard_artc_jitter_seconds_count")).toList());
            String location = browser.evaluate("window.whepLocation");
            assertTrue(location.startsWith("/live/artc/whep/"), location);
            StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("artc", 0) == 1, Duration.ofSeconds(5),
                    "watched over artc");
            HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + location)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deleted.statusCode(), deleted.body());
            StreamProbe.awaitStatus(node, key, s -> s.viewers().getOrDefault("artc", 0) == 0, Duration.ofSeconds(5),
                    "left by the artc viewer");
        }
    }
}
