package io.liveshard.node.transcode;

import io.liveshard.protocol.media.MediaFrame;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What artc audio costs a stream: about one second of 96 kbit/s AAC (made by the real ffmpeg from a sine, as an
 * RTMP publisher sends it; 44.1 kHz stereo as OBS sends it, or 48 kHz mono as the load tool's publisher does)
 * decoded, resampled and encoded to 64 kbit/s Opus, with each application and complexity the node can be configured
 * with. The time per operation divided by one second is the share of one core the stream's transcoder takes; it runs
 * once per stream, not per viewer. An operation is the whole AAC frames of one second: 43 at 44.1 kHz (998 ms), 46
 * at 48 kHz (981 ms).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AacOpusTranscodeBenchmark {

    private static final int SECONDS_OF_SOURCE = 10;

    /** libopus's application ({@code liveshard.artc.opus-application}); the default first. */
    @Param({"lowdelay", "audio"})
    public String application;

    /** libopus's complexity ({@code liveshard.artc.opus-complexity}); the default first. */
    @Param({"10", "5"})
    public int complexity;

    /** The source: rate and channels. */
    @Param({"44100x2", "48000x1"})
    public String source;

    private final List<OpusPacket> packets = new ArrayList<>();
    private List<MediaFrame> frames;
    private int framesPerSecond;
    private AacOpusTranscoder transcoder;
    private int next;
    private long laps;
    private int sourceRate;
    /** How long the source lasts: 1024 samples per AAC frame. */
    private long lapMillis;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String[] rateAndChannels = source.split("x");
        sourceRate = Integer.parseInt(rateAndChannels[0]);
        List<MediaFrame> all = AacOpusTranscoderTest.aacFrames(sourceRate, Integer.parseInt(rateAndChannels[1]),
                SECONDS_OF_SOURCE);
        MediaFrame config = all.get(0);
        frames = all.subList(1, all.size());
        framesPerSecond = frames.size() / SECONDS_OF_SOURCE;
        lapMillis = Math.round(frames.size() * 1024 * 1000.0 / sourceRate);
        transcoder = AacOpusTranscoder.open(config.body(), config.payloadOffset(), config.payloadLength(),
                new OpusEncoderSettings(64_000, OpusEncoderSettings.Application.named(application), complexity));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        transcoder.close();
    }

    /** One second of source audio; the source is replayed with timestamps running on, so no jump re-places it. */
    @Benchmark
    public int transcodeOneSecond() throws TranscodeException {
        packets.clear();
        for (int i = 0; i < framesPerSecond; i++) {
            MediaFrame frame = frames.get(next);
            long pts = frame.pts() + laps * lapMillis;
            transcoder.transcode(frame.body(), frame.payloadOffset(), frame.payloadLength(), pts, 0, packets);
            if (++next == frames.size()) {
                next = 0;
                laps++;
            }
        }
        return packets.size();
    }
}
