package io.liveshard.node.hls;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What muxing one stream costs: one second of a 1 Mbit/s stream (30 fps H.264 with a keyframe every 2 s, 48 kHz
 * AAC at 128 kbit/s) through the classic (MPEG-TS) and the Low-Latency (fMP4 parts) segmenter, as the HLS drain feeds
 * them. The time per operation, divided by one second, is the share of one core the muxer takes per stream.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HlsMuxBenchmark {

    private static final int FPS = 30;
    private static final int GOP_FRAMES = 60;
    private static final int VIDEO_BYTES_PER_FRAME = 1_000_000 / 8 / FPS;
    private static final double AAC_FRAME_MILLIS = 1024 * 1000.0 / 48_000;
    private static final int AAC_BYTES_PER_FRAME = (int) (128_000 / 8 * AAC_FRAME_MILLIS / 1000);
    private static final StreamKey KEY = new StreamKey("live", "bench");

    @Param({"classic", "ll"})
    public String muxer;

    private final List<MediaFrame> keyframes = new ArrayList<>();
    private final List<MediaFrame> interFrames = new ArrayList<>();
    private final List<MediaFrame> audioFrames = new ArrayList<>();
    private HlsMuxing muxing;
    private long videoFrameNumber;
    private long audioFrameNumber;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        FixtureFrames fixture = FixtureFrames.read();
        Random random = new Random(1);
        for (int i = 0; i < 4; i++) {
            keyframes.add(videoFrame(true, VIDEO_BYTES_PER_FRAME * 8, random));
            interFrames.add(videoFrame(false, VIDEO_BYTES_PER_FRAME * 3 / 4 + random.nextInt(VIDEO_BYTES_PER_FRAME / 2),
                    random));
            byte[] audio = new byte[2 + AAC_BYTES_PER_FRAME];
            random.nextBytes(audio);
            audio[0] = (byte) 0xAF;
            audio[1] = 1;
            audioFrames.add(new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, false, false, 0, 0, audio, 2, 0));
        }
        muxing = muxer.equals("classic")
                ? new HlsSegmenter(KEY, new HlsSettings(Duration.ofSeconds(2), 6, Duration.ofSeconds(30),
                        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1)), 0, false)
                : new LlHlsSegmenter(KEY, new LlHlsSettings(Duration.ofSeconds(1), Duration.ofMillis(200), 6, 3,
                        Duration.ofSeconds(3)), 0, false);
        muxing.accept(fixture.videoConfig());
        muxing.accept(fixture.audioConfig());
    }

    /** An AVCC frame body: the FLV video header, then one NAL unit of {@code bytes} random payload. */
    private static MediaFrame videoFrame(boolean keyframe, int bytes, Random random) {
        byte[] body = new byte[5 + 4 + 1 + bytes];
        random.nextBytes(body);
        body[0] = (byte) (keyframe ? 0x17 : 0x27);
        body[1] = 1;
        body[2] = 0;
        body[3] = 0;
        body[4] = 0;
        int nalLength = 1 + bytes;
        body[5] = (byte) (nalLength >>> 24);
        body[6] = (byte) (nalLength >>> 16);
        body[7] = (byte) (nalLength >>> 8);
        body[8] = (byte) nalLength;
        body[9] = (byte) (keyframe ? 0x65 : 0x41);
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, keyframe, 0, 0, body, 5, 0);
    }

    /** One second of media, video and audio interleaved by timestamp as a publisher sends them. */
    @Benchmark
    public HlsMuxing muxOneSecond() {
        for (int i = 0; i < FPS; i++) {
            long frame = videoFrameNumber++;
            long dts = frame * 1000 / FPS;
            MediaFrame template = frame % GOP_FRAMES == 0 ? keyframes.get((int) (frame / GOP_FRAMES % 4))
                    : interFrames.get((int) (frame % 4));
            muxing.accept(template.withDts(dts));
            while (audioFrameNumber * AAC_FRAME_MILLIS <= dts) {
                muxing.accept(audioFrames.get((int) (audioFrameNumber % 4))
                        .withDts(Math.round(audioFrameNumber * AAC_FRAME_MILLIS)));
                audioFrameNumber++;
            }
        }
        return muxing;
    }
}
