package io.liveshard.protocol.bench;

import io.liveshard.protocol.rtmp.RtmpChunkDecoder;
import io.liveshard.protocol.rtmp.RtmpChunkEncoder;
import io.liveshard.protocol.rtmp.RtmpLimits;
import io.liveshard.protocol.rtmp.RtmpMessageType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Chunk parsing throughput of what a publisher sends: one second of a typical 30 fps H.264 + AAC stream (30 video
 * messages of about 4 KB with one 40 KB keyframe, 47 AAC messages of about 200 bytes, interleaved by timestamp),
 * chunked by {@link RtmpChunkEncoder} at the given chunk size (ffmpeg announces 4096; 128 is the RTMP default and
 * the worst case for header overhead). One operation decodes the whole second from a fresh decoder, fed in reads of
 * {@code readSize} bytes as a socket would deliver them.
 *
 * <p>The {@code bytes} counter is the input bytes per second: divide by 10^6 for MB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RtmpChunkDecodeBenchmark {

    private static final int VIDEO_CSID = 6;
    private static final int AUDIO_CSID = 4;
    private static final int MESSAGE_STREAM_ID = 1;

    @Param({"4096", "128"})
    public int chunkSize;

    @Param({"16384"})
    public int readSize;

    private byte[] wire;
    private int messages;

    /** Input bytes decoded, reported by JMH per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void encodeOneSecond() {
        Random random = new Random(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RtmpChunkEncoder encoder = new RtmpChunkEncoder(RtmpLimits.DEFAULT_CHUNK_SIZE);
        if (chunkSize != RtmpLimits.DEFAULT_CHUNK_SIZE) {
            byte[] setChunkSize = ByteBuffer.allocate(4).putInt(chunkSize).array();
            encoder.encode(2, RtmpMessageType.SET_CHUNK_SIZE.code(), 0, 0, setChunkSize, out::write);
            encoder.setChunkSize(chunkSize);
            messages++;
        }
        int video = 0;
        int audio = 0;
        // Merge the two tracks by timestamp: video every 33.3 ms, AAC (1024 samples at 48 kHz) every 21.3 ms.
        while (video < 30 || audio < 47) {
            long videoTs = video * 1000L / 30;
            long audioTs = audio * 1024L * 1000 / 48000;
            if (video < 30 && (audio >= 47 || videoTs <= audioTs)) {
                int size = video == 0 ? 40_000 : 3_500 + random.nextInt(1_000);
                byte[] body = new byte[size];
                random.nextBytes(body);
                body[0] = (byte) (video == 0 ? 0x17 : 0x27);
                body[1] = 1;
                encoder.encode(VIDEO_CSID, RtmpMessageType.VIDEO.code(), videoTs, MESSAGE_STREAM_ID, body, out::write);
                video++;
            } else {
                byte[] body = new byte[180 + random.nextInt(40)];
                random.nextBytes(body);
                body[0] = (byte) 0xAF;
                body[1] = 1;
                encoder.encode(AUDIO_CSID, RtmpMessageType.AUDIO.code(), audioTs, MESSAGE_STREAM_ID, body, out::write);
                audio++;
            }
            messages++;
        }
        wire = out.toByteArray();
        int decoded = decode(new Counters());
        if (decoded != messages) {
            throw new IllegalStateException("decoded " + decoded + " of " + messages + " messages");
        }
    }

    @Benchmark
    public int decode(Counters counters) {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(RtmpLimits.defaults());
        int decoded = 0;
        for (int offset = 0; offset < wire.length; offset += readSize) {
            ByteBuffer read = ByteBuffer.wrap(wire, offset, Math.min(readSize, wire.length - offset));
            RtmpChunkDecoder.Result result;
            while ((result = decoder.decode(read)) == RtmpChunkDecoder.Result.MESSAGE) {
                decoded++;
            }
            if (result == RtmpChunkDecoder.Result.BAD_MESSAGE) {
                throw new IllegalStateException(decoder.failureReason());
            }
        }
        counters.bytes += wire.length;
        return decoded;
    }
}
