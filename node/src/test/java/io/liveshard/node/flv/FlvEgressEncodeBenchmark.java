package io.liveshard.node.flv;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.util.ByteString;
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
 * One HTTP-FLV viewer's egress cost per batch: {@link FlvEgressEncoder#encode} of {@code batchSize} frames (mixed
 * 4 KB video and 200 B audio, as one viewer drains them), and the same followed by the copy into a direct buffer
 * that Pekko's TCP stage makes before the socket write. Divide by {@code batchSize} for the cost per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlvEgressEncodeBenchmark {

    @Param({"1", "8"})
    public int batchSize;

    private final List<MediaFrame> batch = new ArrayList<>();
    private final ByteBuffer socketBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private FlvEgressEncoder encoder;
    private long dts;

    @Setup(Level.Trial)
    public void buildBatch() {
        Random random = new Random(1);
        for (int i = 0; i < batchSize; i++) {
            boolean video = i % 5 < 2;
            byte[] body = new byte[video ? 3_500 + random.nextInt(1_000) : 180 + random.nextInt(40)];
            body[0] = (byte) (video ? 0x27 : 0xAF);
            body[1] = 1;
            batch.add(video
                    ? new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, false, i * 20L, 0, body, 5, 0)
                    : new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, false, false, i * 20L, 0, body, 2, 0));
        }
        encoder = new FlvEgressEncoder(true, true);
        encoder.encode(batch);
    }

    @Benchmark
    public ByteString encode() {
        return encoder.encode(batch);
    }

    @Benchmark
    public int encodeAndCopyToSocketBuffer() {
        ByteString bytes = encoder.encode(batch);
        socketBuffer.clear();
        return bytes.copyToBuffer(socketBuffer);
    }
}
