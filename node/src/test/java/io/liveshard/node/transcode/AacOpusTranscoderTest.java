package io.liveshard.node.transcode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.node.testkit.Programs;
import io.liveshard.protocol.flv.FlvMediaParser;
import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transcoder on real AAC: the real ffmpeg encodes a sine into AAC in FLV (as an RTMP publisher would send it),
 * the protocol module's FLV reader splits it into frames, and the Opus packets that come out are decoded again with
 * FFmpeg's Opus decoder to count their samples and check the tone survived.
 */
class AacOpusTranscoderTest {

    private static final int SECONDS = 3;

    @BeforeAll
    static void ffmpegLoads() {
        assertTrue(FfmpegCodecs.unavailableReason().isEmpty(), FfmpegCodecs.unavailableReason().orElse(""));
    }

    @ParameterizedTest(name = "{0} Hz, {1} channel(s)")
    @CsvSource({"44100, 2", "48000, 1", "22050, 2"})
    void aSineBecomes20MillisecondOpusPacketsThatDecodeToTheSameDurationAndTone(int rate, int channels)
            throws Exception {
        List<MediaFrame> frames = aacFrames(rate, channels, SECONDS);
        MediaFrame config = frames.get(0);
        assertTrue(config.config(), "the first audio tag is the AudioSpecificConfig");

        List<OpusPacket> packets = new ArrayList<>();
        try (AacOpusTranscoder transcoder = AacOpusTranscoder.open(config.body(), config.payloadOffset(),
                config.payloadLength(), lowDelay(64_000))) {
            for (MediaFrame frame : frames.subList(1, frames.size())) {
                transcoder.transcode(frame.body(), frame.payloadOffset(), frame.payloadLength(), frame.pts(),
                        frame.ingestNanos(), packets);
            }
            assertEquals(0, transcoder.resyncs(), "continuous timestamps never re-place the audio");
        }

        // Every 20 ms of AAC (1024 samples per frame, priming included) makes a packet; the last partial packet,
        // the resampler's filter delay and the encoder's look-ahead stay behind.
        long sourceSamples48k = (frames.size() - 1) * 1024L * 48_000 / rate;
        long expected = sourceSamples48k / AacOpusTranscoder.SAMPLES_PER_PACKET;
        assertTrue(packets.size() >= expected - 2 && packets.size() <= expected,
                packets.size() + " packets for " + sourceSamples48k + " samples (" + expected + " expected)");
        long first = packets.get(0).timestamp();
        assertTrue(first < 0 && first > -AacOpusTranscoder.SAMPLES_PER_PACKET,
                "the first packet starts the encoder's look-ahead before the source's 0 ms: " + first);
        for (int i = 1; i < packets.size(); i++) {
            assertEquals(AacOpusTranscoder.SAMPLES_PER_PACKET,
                    packets.get(i).timestamp() - packets.get(i - 1).timestamp(), "packet " + i + " follows on");
        }

        DecodedOpus decoded = decode(packets);
        assertEquals(packets.size() * AacOpusTranscoder.SAMPLES_PER_PACKET, decoded.samplesPerChannel,
                "every packet decodes to 20 ms at 48 kHz");
        // A full-scale sine has an RMS of 0.707; ffmpeg's sine source is at 1/8 of full scale, about 0.088.
        assertTrue(decoded.rms > 0.05 && decoded.rms < 0.2, "the tone survived: RMS " + decoded.rms);
    }

    @Test
    void aJumpInSourceTimestampsRePlacesTheAudio() throws Exception {
        List<MediaFrame> frames = aacFrames(48000, 2, 1);
        MediaFrame config = frames.get(0);
        List<OpusPacket> packets = new ArrayList<>();
        try (AacOpusTranscoder transcoder = AacOpusTranscoder.open(config.body(), config.payloadOffset(),
                config.payloadLength(), lowDelay(32_000))) {
            for (MediaFrame frame : frames.subList(1, frames.size())) {
                transcoder.transcode(frame.body(), frame.payloadOffset(), frame.payloadLength(), frame.pts(), 0,
                        packets);
            }
            int before = packets.size();
            for (MediaFrame frame : frames.subList(1, frames.size())) {
                transcoder.transcode(frame.body(), frame.payloadOffset(), frame.payloadLength(),
                        frame.pts() + 60_000, 0, packets);
            }
            assertEquals(1, transcoder.resyncs());
            // The encoder's look-ahead still holds a few pre-jump samples; the packets after it follow the jump.
            List<Long> after = packets.subList(before, packets.size()).stream().map(OpusPacket::timestamp).toList();
            long firstJumped = after.stream().filter(t -> t > 2 * 48_000).findFirst().orElseThrow();
            assertTrue(Math.abs(firstJumped - 60_000L * 48) <= AacOpusTranscoder.SAMPLES_PER_PACKET,
                    "after the jump packets start within a packet of the new source time: " + after);
            assertTrue(after.stream().filter(t -> t <= 2 * 48_000).count() <= 2, "at most the look-ahead is old: "
                    + after);
        }
    }

    /**
     * What the application setting changes, read from the packets themselves: the TOC byte's configuration number
     * (RFC 6716 3.1: 0–11 SILK only, 12–15 hybrid, 16–31 CELT only) and the encoder's look-ahead. At 12 kbit/s
     * libopus codes the tone with SILK in "voip"; "lowdelay" must still be CELT only, with less look-ahead.
     */
    @Test
    void lowDelayIsCeltOnlyWithTheShorterLookAheadWhereVoipUsesSilk() throws Exception {
        List<MediaFrame> frames = aacFrames(48000, 2, 1);
        EncodedWith lowDelay = encode(frames, new OpusEncoderSettings(12_000,
                OpusEncoderSettings.Application.LOW_DELAY, 10));
        EncodedWith voip = encode(frames, new OpusEncoderSettings(12_000, OpusEncoderSettings.Application.VOIP, 10));

        assertTrue(lowDelay.modes.keySet().stream().allMatch(config -> config >= 16),
                "lowdelay: CELT only, TOC configurations " + lowDelay.modes);
        assertTrue(voip.modes.keySet().stream().anyMatch(config -> config < 16),
                "voip at 12 kbit/s uses SILK or hybrid, or the comparison above shows nothing: " + voip.modes);
        assertEquals(120, lowDelay.lookAheadSamples, "lowdelay: 2.5 ms of look-ahead at 48 kHz");
        assertTrue(voip.lookAheadSamples > lowDelay.lookAheadSamples, "voip looks further ahead: "
                + voip.lookAheadSamples);
        assertTrue(decode(lowDelay.packets).rms > 0.05, "the tone survived CELT at 12 kbit/s");
    }

    /**
     * Opus is encoded with the source's channels, read back from each packet's TOC byte (RFC 6716 3.1: bit 2 is the
     * stereo flag): a mono source gives mono packets, which cost the encoder about half, and stereo stays stereo.
     */
    @Test
    void monoStaysMonoAndStereoStaysStereo() throws Exception {
        EncodedWith mono = encode(aacFrames(48000, 1, 1), lowDelay(64_000));
        EncodedWith stereo = encode(aacFrames(44100, 2, 1), lowDelay(64_000));

        assertEquals(1, mono.channels);
        assertTrue(mono.packets.stream().noneMatch(packet -> (packet.data()[0] & 0x04) != 0),
                "every packet of a mono source has the stereo flag clear");
        assertTrue(decode(mono.packets).rms > 0.05, "the mono tone decodes as stereo, as a WebRTC receiver plays it");
        assertEquals(2, stereo.channels);
        assertTrue(stereo.packets.stream().allMatch(packet -> (packet.data()[0] & 0x04) != 0),
                "every packet of a stereo source has the stereo flag set");
    }

    @Test
    void settingsOutsideLibopusRangesAreRefusedWithTheirNames() {
        IllegalArgumentException complexity = assertThrows(IllegalArgumentException.class,
                () -> new OpusEncoderSettings(64_000, OpusEncoderSettings.Application.AUDIO, 11));
        assertTrue(complexity.getMessage().contains("opus-complexity 11"), complexity.getMessage());
        IllegalArgumentException bitrate = assertThrows(IllegalArgumentException.class,
                () -> lowDelay(5_999));
        assertTrue(bitrate.getMessage().contains("opus-bitrate 5999"), bitrate.getMessage());
        IllegalArgumentException application = assertThrows(IllegalArgumentException.class,
                () -> OpusEncoderSettings.Application.named("restricted"));
        assertTrue(application.getMessage().contains("\"restricted\""), application.getMessage());
        assertEquals(OpusEncoderSettings.Application.LOW_DELAY, OpusEncoderSettings.Application.named("LowDelay"));
    }

    /** The node's default encoder ({@code liveshard.artc}) at {@code bitrate}. */
    private static OpusEncoderSettings lowDelay(int bitrate) {
        return new OpusEncoderSettings(bitrate, OpusEncoderSettings.Application.LOW_DELAY, 10);
    }

    private record EncodedWith(List<OpusPacket> packets, Map<Integer, Integer> modes, int lookAheadSamples,
                               int channels) {}

    private static EncodedWith encode(List<MediaFrame> frames, OpusEncoderSettings settings) throws Exception {
        MediaFrame config = frames.get(0);
        List<OpusPacket> packets = new ArrayList<>();
        try (AacOpusTranscoder transcoder = AacOpusTranscoder.open(config.body(), config.payloadOffset(),
                config.payloadLength(), settings)) {
            for (MediaFrame frame : frames.subList(1, frames.size())) {
                transcoder.transcode(frame.body(), frame.payloadOffset(), frame.payloadLength(), frame.pts(), 0,
                        packets);
            }
            Map<Integer, Integer> modes = new TreeMap<>();
            for (OpusPacket packet : packets) {
                modes.merge((packet.data()[0] & 0xFF) >> 3, 1, Integer::sum);
            }
            return new EncodedWith(packets, modes, transcoder.lookAheadSamples(), transcoder.encodedChannels());
        }
    }

    @Test
    void aBrokenAudioSpecificConfigIsRefusedWithAReason() {
        TranscodeException refused = assertThrows(TranscodeException.class,
                () -> AacOpusTranscoder.open(new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 0}, 0, 4, lowDelay(64_000)));
        assertTrue(refused.getMessage().contains("AAC"), refused.getMessage());
        assertThrows(TranscodeException.class, () -> AacOpusTranscoder.open(new byte[1], 0, 1,
                lowDelay(64_000)));
    }

    /** The audio frames (config first) of an FLV the real ffmpeg writes from a 440 Hz sine. */
    static List<MediaFrame> aacFrames(int rate, int channels, int seconds) throws Exception {
        Path flv = Files.createTempFile("aac-sine", ".flv");
        try {
            Process ffmpeg = new ProcessBuilder(Programs.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error",
                    "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + rate + ":duration=" + seconds,
                    "-ac", Integer.toString(channels), "-c:a", "aac", "-b:a", "96k", "-f", "flv", flv.toString())
                    .redirectErrorStream(true).start();
            String output = new String(ffmpeg.getInputStream().readAllBytes());
            assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "ffmpeg did not finish");
            assertEquals(0, ffmpeg.exitValue(), output);
            FlvStreamReader reader = new FlvStreamReader();
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(flv));
            List<MediaFrame> frames = new ArrayList<>();
            while (reader.feed(bytes) == FlvStreamReader.Result.TAG) {
                if (reader.tag().type() == FlvTagType.AUDIO) {
                    MediaFrame frame = FlvMediaParser.parseAudio(reader.tag().body(), reader.tag().timestamp(), 0);
                    assertEquals(MediaCodec.AAC, frame.codec());
                    frames.add(frame);
                }
            }
            return frames;
        } finally {
            Files.deleteIfExists(flv);
        }
    }

    private record DecodedOpus(long samplesPerChannel, double rms) {
    }

    /** Decodes with FFmpeg's own Opus decoder, as interleaved float stereo. */
    private static DecodedOpus decode(List<OpusPacket> packets) {
        AVCodecContext decoder = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_OPUS));
        decoder.sample_rate(48_000);
        av_channel_layout_default(decoder.ch_layout(), 2);
        decoder.request_sample_fmt(AV_SAMPLE_FMT_FLT);
        assertEquals(0, avcodec_open2(decoder, decoder.codec(), (AVDictionary) null));
        AVPacket packet = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        long samples = 0;
        double sumOfSquares = 0;
        long values = 0;
        try {
            for (OpusPacket opus : packets) {
                assertEquals(0, av_new_packet(packet, opus.data().length));
                packet.data().put(opus.data());
                assertEquals(0, avcodec_send_packet(decoder, packet));
                av_packet_unref(packet);
                while (avcodec_receive_frame(decoder, frame) == 0) {
                    samples += frame.nb_samples();
                    int channels = frame.ch_layout().nb_channels();
                    boolean planar = frame.format() != AV_SAMPLE_FMT_FLT;
                    for (int channel = 0; channel < (planar ? channels : 1); channel++) {
                        int count = frame.nb_samples() * (planar ? 1 : channels);
                        float[] pcm = new float[count];
                        new FloatPointer(frame.extended_data(channel)).get(pcm);
                        for (float value : pcm) {
                            sumOfSquares += value * value;
                        }
                        values += count;
                    }
                }
            }
        } finally {
            av_frame_free(frame);
            av_packet_free(packet);
            avcodec_free_context(decoder);
        }
        return new DecodedOpus(samples, Math.sqrt(sumOfSquares / values));
    }
}
