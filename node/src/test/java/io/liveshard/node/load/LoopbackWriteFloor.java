package io.liveshard.node.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one TCP write per frame per viewer costs on this machine's loopback, with no server around it: the floor
 * under the node's CPU per HTTP-FLV/RTMP viewer. One thread writes a 1 Mbit/s stream's frames (30 fps video of
 * 3.75 KB with a 40 KB keyframe every 2 s, 46.9 fps audio of 190 bytes, each behind a 15-byte tag header, as a
 * gathering write like the node's) to N loopback sockets that another thread reads; the writer thread's CPU time
 * (user and system, which on loopback includes the receiving side's TCP work) is divided by N. With
 * {@code --merge-ms M} frames are held and written together every M ms instead, which is what a server that merges
 * writes pays instead.
 *
 * <pre>java -cp node/target/test-classes io.liveshard.node.load.LoopbackWriteFloor --connections 500 --seconds 20
 *     [--merge-ms 0]</pre>
 */
public final class LoopbackWriteFloor {

    private static final String USAGE = """
            usage: LoopbackWriteFloor --connections N --seconds S [--merge-ms M] [--warmup 5]
            """;
    private static final int VIDEO_BYTES = 3_750;
    private static final int KEYFRAME_BYTES = 40_000;
    private static final int AUDIO_BYTES = 190;
    private static final int TAG_HEADER_BYTES = 15;
    private static final double VIDEO_INTERVAL_MS = 1000.0 / 30;
    private static final double AUDIO_INTERVAL_MS = 1024 * 1000.0 / 48_000;

    private LoopbackWriteFloor() {
    }

    public static void main(String[] args) throws Exception {
        int connections = 0;
        int seconds = 0;
        int mergeMs = 0;
        int warmup = 5;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                int value = Integer.parseInt(args[i + 1]);
                switch (args[i]) {
                    case "--connections" -> connections = ToolArgs.bounded(value, 1, 20_000);
                    case "--seconds" -> seconds = ToolArgs.bounded(value, 1, 3_600);
                    case "--merge-ms" -> mergeMs = ToolArgs.bounded(value, 0, 5_000);
                    case "--warmup" -> warmup = ToolArgs.bounded(value, 0, 600);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (connections == 0 || seconds == 0) {
                throw new IllegalArgumentException("--connections and --seconds are required");
            }
        } catch (IllegalArgumentException e) {
            ToolArgs.usageExit("LoopbackWriteFloor", e, USAGE);
        }
        run(connections, seconds, mergeMs, warmup);
    }

    private static void run(int connections, int seconds, int mergeMs, int warmup) throws Exception {
        List<SocketChannel> senders = new ArrayList<>();
        Selector readers = Selector.open();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), connections);
            for (int i = 0; i < connections; i++) {
                SocketChannel reader = SocketChannel.open(server.getLocalAddress());
                reader.configureBlocking(false);
                reader.register(readers, SelectionKey.OP_READ);
                SocketChannel sender = server.accept();
                sender.configureBlocking(false);
                sender.setOption(StandardSocketOptions.TCP_NODELAY, true);
                senders.add(sender);
            }
        }
        AtomicLong received = new AtomicLong();
        Thread reader = new Thread(() -> readAll(readers, received), "floor-reader");
        reader.setDaemon(true);
        reader.start();
        Writer writer = new Writer(senders, mergeMs);
        // The writer outlives the window: a finished thread has no CPU time to read.
        Thread writing = new Thread(() -> writer.run(warmup + seconds + 2), "floor-writer");
        writing.start();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Thread.sleep(warmup * 1000L);
        long writerCpu = threads.getThreadCpuTime(writing.getId());
        long readerCpu = threads.getThreadCpuTime(reader.getId());
        long bytes = received.get();
        long writes = writer.writes.get();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double writerPct = (threads.getThreadCpuTime(writing.getId()) - writerCpu) / 1e9 / elapsed * 100;
        double readerPct = (threads.getThreadCpuTime(reader.getId()) - readerCpu) / 1e9 / elapsed * 100;
        double kbps = (received.get() - bytes) * 8 / elapsed / 1000 / connections;
        double writesPerSecond = (writer.writes.get() - writes) / elapsed / connections;
        writing.join();
        System.out.printf("RESULT connections=%d merge_ms=%d window_s=%d writes_per_s_per_conn=%.1f "
                        + "kbps_per_conn=%.0f writer_cpu_pct=%.1f writer_cpu_pct_per_conn=%.4f reader_cpu_pct=%.1f "
                        + "short_writes=%d%n", connections, mergeMs, seconds, writesPerSecond, kbps, writerPct,
                writerPct / connections, readerPct, writer.shortWrites.get());
        for (SocketChannel sender : senders) {
            sender.close();
        }
        readers.close();
    }

    private static void readAll(Selector selector, AtomicLong received) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    buffer.clear();
                    int count = ((SocketChannel) key.channel()).read(buffer);
                    if (count > 0) {
                        received.addAndGet(count);
                    } else if (count < 0) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            // The selector closed at the end of the run.
        }
    }

    /** Writes the stream's frames to every socket on their schedule, each at once or merged every M ms. */
    private static final class Writer {
        private final List<SocketChannel> senders;
        private final int mergeMs;
        private final byte[] video = new byte[VIDEO_BYTES];
        private final byte[] keyframe = new byte[KEYFRAME_BYTES];
        private final byte[] audio = new byte[AUDIO_BYTES];
        private final byte[] tagHeader = new byte[TAG_HEADER_BYTES];
        private final List<byte[]> pending = new ArrayList<>();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong shortWrites = new AtomicLong();

        Writer(List<SocketChannel> senders, int mergeMs) {
            this.senders = senders;
            this.mergeMs = mergeMs;
        }

        void run(int seconds) {
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            int videoFrames = 0;
            int audioFrames = 0;
            long lastFlush = start;
            while (true) {
                long nextVideo = start + (long) (videoFrames * VIDEO_INTERVAL_MS * 1e6);
                long nextAudio = start + (long) (audioFrames * AUDIO_INTERVAL_MS * 1e6);
                long next = Math.min(nextVideo, nextAudio);
                if (next >= end) {
                    return;
                }
                sleepUntil(next);
                if (nextVideo <= nextAudio) {
                    pending.add(videoFrames % 60 == 0 ? keyframe : video);
                    videoFrames++;
                } else {
                    pending.add(audio);
                    audioFrames++;
                }
                if (mergeMs == 0 || next - lastFlush >= mergeMs * 1_000_000L) {
                    flush();
                    lastFlush = next;
                }
            }
        }

        private void flush() {
            ByteBuffer[] buffers = new ByteBuffer[pending.size() * 2];
            for (SocketChannel sender : senders) {
                long offered = 0;
                for (int i = 0; i < pending.size(); i++) {
                    buffers[2 * i] = ByteBuffer.wrap(tagHeader);
                    buffers[2 * i + 1] = ByteBuffer.wrap(pending.get(i));
                    offered += TAG_HEADER_BYTES + pending.get(i).length;
                }
                try {
                    if (sender.write(buffers) < offered) {
                        shortWrites.incrementAndGet();
                    }
                } catch (IOException e) {
                    shortWrites.incrementAndGet();
                }
                writes.incrementAndGet();
            }
            pending.clear();
        }

        private static void sleepUntil(long deadline) {
            long wait;
            while ((wait = deadline - System.nanoTime()) > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
