package io.liveshard.node.load;

import static io.liveshard.node.load.ToolArgs.bounded;

import io.liveshard.node.testkit.ArtcClientLoop;
import io.liveshard.node.testkit.ArtcTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * artc viewers against a running node: {@code ./liveshard load-artc --sessions 100 --stream live/bench}.
 *
 * <p>Each session is a real WebRTC viewer ({@link ArtcTestClient}): WHEP POST, ICE consent checks every 2.5 s,
 * a BouncyCastle DTLS handshake, and authentication plus decryption of <b>every</b> SRTP packet, on two reader
 * threads shared by all sessions. Reports, for the measured window: sessions connected and failed, node CPU (from
 * {@code /proc/PID/stat}) against a publisher-only baseline and per viewer, video and audio packets received and
 * lost (RTP sequence gaps), SRTP packets that failed authentication, the node's own server-added latency
 * percentiles for artc (its {@code liveshard_server_latency_seconds} histogram, bucket upper bounds), the time from
 * POST to the first video packet, and this tool's own CPU. The tool exits by itself.
 *
 * <p>The node must run on this machine (its CPU is read from {@code /proc}): on loopback by default, where the
 * kernel runs each datagram's receive side inside the node's {@code sendto}, or, with {@code --host 10.78.0.1}, from
 * the network namespace of {@code ./liveshard viewer-netns}, where the node sends through a network interface and
 * pays only its own side of each datagram, as with viewers on other machines.
 */
public final class ArtcLoadTool {

    private static final int READER_THREADS = 2;
    private static final int HANDSHAKE_THREADS = 4;
    private static final int CONNECTS_PER_BATCH = 10;
    private static final long BATCH_INTERVAL_MILLIS = 100;
    private static final int WARMUP_SECONDS = 3;
    private static final int BASELINE_SECONDS = 5;
    private static final int CONNECT_TIMEOUT_SECONDS = 60;
    private static final Duration CONSENT_INTERVAL = Duration.ofMillis(2500);
    private static final String USAGE = """
            usage: ./liveshard load-artc [--sessions 100] [--stream live/bench] [--seconds 20] [--http-port 8080]
                                         [--pid PID] [--baseline 5] [--warmup 3] [--host 127.0.0.1]
              Opens N artc (WebRTC/WHEP) sessions with real ICE, DTLS and SRTP decryption against a running node of
              this machine, then measures for S seconds: node CPU per viewer, packets received and lost, server-added
              latency (the node's histogram), time from POST to first video packet. --warmup: seconds between
              the last session's start and the window (the node's JIT settles). --host: the node's address
              when the tool runs in the namespace of ./liveshard viewer-netns (10.78.0.1; give --pid).
            """;

    private ArtcLoadTool() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = 100;
        String stream = "live/bench";
        int seconds = 20;
        int httpPort = 8080;
        int baseline = BASELINE_SECONDS;
        int warmup = WARMUP_SECONDS;
        long pid = 0;
        String host = "127.0.0.1";
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--sessions" -> sessions = bounded(Integer.parseInt(value), 1, LoadOptions.MAX_VIEWERS);
                    case "--stream" -> stream = value;
                    case "--seconds" -> seconds = bounded(Integer.parseInt(value), 1, LoadOptions.MAX_SECONDS);
                    case "--http-port" -> httpPort = bounded(Integer.parseInt(value), 1, 65535);
                    case "--baseline" -> baseline = bounded(Integer.parseInt(value), 0, LoadOptions.MAX_SECONDS);
                    case "--warmup" -> warmup = bounded(Integer.parseInt(value), 0, LoadOptions.MAX_SECONDS);
                    case "--pid" -> pid = Long.parseLong(value);
                    case "--host" -> host = value;
                    case "--help", "-h" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            ToolArgs.streamPath(stream);
            host = ToolArgs.nodeHost(host, pid).getHostAddress();
        } catch (IllegalArgumentException e) {
            ToolArgs.usageExit("load-artc", e, USAGE);
            return;
        }
        pid = ToolArgs.nodePid("load-artc", pid, httpPort);
        String[] appStream = stream.split("/");
        System.exit(run(sessions, host, appStream[0], appStream[1], seconds, baseline, warmup,
                httpPort, new ProcessCpu(pid)));
    }

    private static int run(int sessions, String host, String app, String stream, int seconds, int baselineSeconds,
                           int warmupSeconds, int httpPort, ProcessCpu node) throws Exception {
        ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
        System.out.printf(Locale.ROOT, "load-artc: node pid %d, %d artc sessions of %s/%s%n", node.pid(), sessions,
                app, stream);
        double baselinePercent = Double.NaN;
        if (baselineSeconds > 0) {
            long cpu0 = node.cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(baselineSeconds * 1000L);
            baselinePercent = 100.0 * (node.cpuNanos() - cpu0) / (System.nanoTime() - t0);
            System.out.printf(Locale.ROOT, "load-artc: node CPU without artc viewers %.1f %% of one core%n",
                    baselinePercent);
        }
        ArtcTestClient.Options options = new ArtcTestClient.Options(CONSENT_INTERVAL, false);
        List<ArtcTestClient> connected = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (ArtcClientLoop loop = new ArtcClientLoop(READER_THREADS, HANDSHAKE_THREADS)) {
            List<CompletableFuture<ArtcTestClient>> opening = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                opening.add(ArtcTestClient.connectAsync(loop, options, host, httpPort, app, stream));
                if ((i + 1) % CONNECTS_PER_BATCH == 0) {
                    Thread.sleep(BATCH_INTERVAL_MILLIS);
                }
            }
            long deadline = System.nanoTime() + CONNECT_TIMEOUT_SECONDS * 1_000_000_000L;
            for (CompletableFuture<ArtcTestClient> future : opening) {
                try {
                    connected.add(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    failures.add(String.valueOf(e.getCause().getMessage()));
                } catch (TimeoutException e) {
                    failures.add("not connected within " + CONNECT_TIMEOUT_SECONDS + " s");
                }
            }
            while (System.nanoTime() < deadline && connected.stream().anyMatch(c -> c.timeToFirstVideoNanos() < 0)) {
                Thread.sleep(100);
            }
            long withVideo = connected.stream().filter(c -> c.timeToFirstVideoNanos() >= 0).count();
            System.out.printf("load-artc: %d of %d sessions connected (%d receive video), %d failed; warming up %d s%n",
                    connected.size(), sessions, withVideo, failures.size(), warmupSeconds);
            failures.stream().distinct().limit(5).forEach(reason -> System.out.println("  failure: " + reason));
            // The node's /metrics path compiles during the warm-up, not in the window that reads it.
            ServerLatencyScrape.read(host, httpPort, app, stream, "artc");
            Thread.sleep(warmupSeconds * 1000L);

            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            for (ArtcTestClient client : connected) {
                client.measureBetween(start, end);
            }
            ServerLatencyScrape latency0 = ServerLatencyScrape.read(host, httpPort, app, stream, "artc");
            long refused0 = connected.stream().mapToLong(ArtcTestClient::refusedPackets).sum();
            ThreadCpu nodeThreads = new ThreadCpu(node.pid());
            long cpu0 = node.cpuNanos();
            long selfCpu0 = self.cpuNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            }
            long cpu1 = node.cpuNanos();
            long selfCpu1 = self.cpuNanos();
            long measuredNanos = System.nanoTime() - start;
            double measured = measuredNanos / 1e9;
            String threadsLine = nodeThreads.line(measuredNanos);
            ServerLatencyScrape latency1 = ServerLatencyScrape.read(host, httpPort, app, stream, "artc");
            // Packets in flight at the window's end are still counted by arrival time; a short pause lets them land.
            Thread.sleep(200);
            long refused = connected.stream().mapToLong(ArtcTestClient::refusedPackets).sum() - refused0;
            report(sessions, connected, failures.size(), measured, 100.0 * (cpu1 - cpu0) / (measured * 1e9),
                    baselinePercent, 100.0 * (selfCpu1 - selfCpu0) / (measured * 1e9), refused, latency0, latency1);
            System.out.println(threadsLine);
            for (ArtcTestClient client : connected) {
                try {
                    client.delete();
                } catch (Exception e) {
                    // The node times the session out anyway.
                }
                client.close();
            }
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private static void report(int sessions, List<ArtcTestClient> connected, int failed, double seconds,
                               double nodePercent, double baselinePercent, double selfPercent, long refused,
                               ServerLatencyScrape latency0, ServerLatencyScrape latency1) {
        long video = 0;
        long videoLost = 0;
        long audio = 0;
        long audioLost = 0;
        LatencySamples firstVideo = new LatencySamples();
        for (ArtcTestClient client : connected) {
            long[] counts = client.windowCounts();
            video += counts[0];
            videoLost += counts[1];
            audio += counts[2];
            audioLost += counts[3];
            if (client.timeToFirstVideoNanos() >= 0) {
                firstVideo.add(client.timeToFirstVideoNanos() / 1000);
            }
        }
        long[] sorted = LatencySamples.sortedUnion(List.of(firstVideo));
        int viewers = Math.max(1, connected.size());
        double perViewer = Double.isNaN(baselinePercent) ? nodePercent / viewers
                : (nodePercent - baselinePercent) / viewers;
        System.out.println(String.format(Locale.ROOT,
                "RESULT protocol=artc sessions=%d connected=%d failed=%d window_s=%.1f node_cpu_pct=%.1f"
                        + " baseline_cpu_pct=%.1f cpu_pct_per_viewer=%.3f video_pkts_per_viewer_s=%.1f"
                        + " audio_pkts_per_viewer_s=%.1f video_lost=%d audio_lost=%d srtp_refused=%d"
                        + " server_latency_p50_ms=%s server_latency_p99_ms=%s server_latency_frames=%d"
                        + " first_video_p50_ms=%.0f first_video_p99_ms=%.0f tool_cpu_pct=%.1f",
                sessions, connected.size(), failed, seconds, nodePercent, baselinePercent, perViewer,
                video / seconds / viewers, audio / seconds / viewers, videoLost, audioLost, refused,
                latency1.quantileSince(latency0, 0.50), latency1.quantileSince(latency0, 0.99),
                latency1.framesSince(latency0), LatencySamples.percentileMillis(sorted, 50),
                LatencySamples.percentileMillis(sorted, 99), selfPercent));
        System.out.println("SERVER artc " + latency1.sharesWithinSince(latency0)
                + " (the node's own histogram: share of frames within each bound)");
    }
}
