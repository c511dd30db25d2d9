package io.liveshard.node.load;

import static io.liveshard.node.load.ToolArgs.bounded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HLS clients against a running node: {@code ./liveshard load-hls --clients 1000 --mode live --stream live/bench}.
 *
 * <p>{@code --mode live}: Low-Latency HLS clients at the live edge, each repeating blocking playlist reload and part
 * fetch (see {@link HlsClientConnection}); reports reloads and parts per second, how long after the first client
 * the others got the same part's playlist (p50/p99/max), part fetch times, node CPU.
 * {@code --mode segment}: every client fetches the newest whole LL-HLS segment (held in the node's memory) over and
 * over on its keep-alive connection; reports requests and bytes per second, fetch times, node CPU.
 * Loopback only; the tool exits by itself.
 */
public final class HlsLoadTool {

    private static final int SELECTOR_THREADS = 2;
    private static final int CONNECTS_PER_BATCH = 50;
    private static final long BATCH_INTERVAL_MILLIS = 50;
    private static final String USAGE = """
            usage: ./liveshard load-hls [--clients 1000] [--mode live|segment] [--stream live/bench] [--seconds 20]
                                        [--http-port 8080] [--pid PID]
              live:    LL-HLS clients doing blocking playlist reloads and part fetches at the live edge
              segment: clients fetching the newest whole LL-HLS segment again and again (keep-alive)
            """;

    private HlsLoadTool() {
    }

    public static void main(String[] args) throws Exception {
        int clients = 1000;
        HlsClientConnection.Mode mode = HlsClientConnection.Mode.LIVE;
        String stream = "live/bench";
        int seconds = 20;
        int httpPort = 8080;
        long pid = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--clients" -> clients = bounded(Integer.parseInt(value), 1, LoadOptions.MAX_VIEWERS);
                    case "--mode" -> mode = HlsClientConnection.Mode.valueOf(value.toUpperCase(Locale.ROOT));
                    case "--stream" -> stream = value;
                    case "--seconds" -> seconds = bounded(Integer.parseInt(value), 1, LoadOptions.MAX_SECONDS);
                    case "--http-port" -> httpPort = bounded(Integer.parseInt(value), 1, 65535);
                    case "--pid" -> pid = Long.parseLong(value);
                    case "--help", "-h" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            ToolArgs.streamPath(stream);
        } catch (IllegalArgumentException e) {
            ToolArgs.usageExit("load-hls", e, USAGE);
            return;
        }
        pid = ToolArgs.nodePid("load-hls", pid, httpPort);
        System.exit(run(clients, mode, "/" + stream, seconds, httpPort, new ProcessCpu(pid)));
    }

    private static int run(int clients, HlsClientConnection.Mode mode, String streamPath, int seconds, int httpPort,
                           ProcessCpu node) throws IOException, InterruptedException {
        String host = InetAddress.getLoopbackAddress().getHostAddress();
        String segment = mode == HlsClientConnection.Mode.SEGMENT ? newestSegment(host, httpPort, streamPath) : null;
        System.out.printf(Locale.ROOT, "load-hls: node pid %d, %d %s clients of %s%s%n", node.pid(), clients,
                mode.name().toLowerCase(Locale.ROOT), streamPath, segment == null ? "" : ", fetching " + segment);

        long hardDeadline = System.nanoTime() + (seconds + 60L) * 1_000_000_000L;
        MeasurementWindow window = new MeasurementWindow();
        AtomicInteger receiving = new AtomicInteger();
        Map<Long, Long> answers = HlsClientConnection.sharedAnswerTimes();
        List<SelectorLoop> loops = new ArrayList<>();
        for (int i = 0; i < SELECTOR_THREADS; i++) {
            SelectorLoop loop = new SelectorLoop("load-hls-" + i, hardDeadline);
            loop.start();
            loops.add(loop);
        }
        List<HlsClientConnection> connections = new ArrayList<>(clients);
        InetSocketAddress address = new InetSocketAddress(host, httpPort);
        for (int i = 0; i < clients; i++) {
            HlsClientConnection client = new HlsClientConnection(i, mode, host, httpPort, streamPath, segment, window,
                    receiving, answers);
            connections.add(client);
            loops.get(i % loops.size()).connect(client, address);
            if ((i + 1) % CONNECTS_PER_BATCH == 0) {
                Thread.sleep(BATCH_INTERVAL_MILLIS);
            }
        }
        long connectDeadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < connectDeadline && receiving.get() + failed(connections) < clients) {
            Thread.sleep(100);
        }
        System.out.printf("load-hls: %d of %d clients receive, %d failed; warming up 3 s%n", receiving.get(), clients,
                failed(connections));
        Thread.sleep(3000);

        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long cpu0 = node.cpuNanos();
        window.open(start, end);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
        }
        long cpu1 = node.cpuNanos();
        double measuredSeconds = (System.nanoTime() - start) / 1e9;
        for (SelectorLoop loop : loops) {
            loop.stop();
        }
        for (SelectorLoop loop : loops) {
            loop.join(5000);
        }
        report(mode, connections, measuredSeconds, 100.0 * (cpu1 - cpu0) / (measuredSeconds * 1e9));
        return failed(connections) == 0 ? 0 : 1;
    }

    private static void report(HlsClientConnection.Mode mode, List<HlsClientConnection> connections, double seconds,
                               double nodePercent) {
        long failed = failed(connections);
        connections.stream().filter(c -> c.failure() != null).map(ViewerConnection::failure).distinct().limit(5)
                .forEach(reason -> System.out.println("  failure: " + reason));
        long bytes = connections.stream().mapToLong(ViewerConnection::bytesInWindow).sum();
        long[] fetch = LatencySamples.sortedUnion(connections.stream().map(HlsClientConnection::requestTime).toList());
        StringBuilder result = new StringBuilder(String.format(Locale.ROOT,
                "RESULT mode=%s clients=%d failed=%d window_s=%.1f node_cpu_pct=%.1f mbit_s=%.1f",
                mode.name().toLowerCase(Locale.ROOT), connections.size(), failed, seconds, nodePercent,
                bytes * 8 / seconds / 1e6));
        if (mode == HlsClientConnection.Mode.LIVE) {
            long reloads = connections.stream().mapToLong(HlsClientConnection::reloadsInWindow).sum();
            long parts = connections.stream().mapToLong(HlsClientConnection::partsInWindow).sum();
            long[] spread = LatencySamples.sortedUnion(
                    connections.stream().map(HlsClientConnection::reloadSpread).toList());
            result.append(String.format(Locale.ROOT, " reloads_per_s=%.0f parts_per_s=%.0f"
                            + " reload_after_first_p50_ms=%.1f reload_after_first_p99_ms=%.1f"
                            + " reload_after_first_max_ms=%.1f part_fetch_p50_ms=%.1f part_fetch_p99_ms=%.1f",
                    reloads / seconds, parts / seconds, LatencySamples.percentileMillis(spread, 50),
                    LatencySamples.percentileMillis(spread, 99), LatencySamples.percentileMillis(spread, 100),
                    LatencySamples.percentileMillis(fetch, 50), LatencySamples.percentileMillis(fetch, 99)));
        } else {
            long requests = connections.stream().mapToLong(HlsClientConnection::resourcesInWindow).sum();
            result.append(String.format(Locale.ROOT, " requests_per_s=%.0f fetch_p50_ms=%.1f fetch_p99_ms=%.1f",
                    requests / seconds, LatencySamples.percentileMillis(fetch, 50),
                    LatencySamples.percentileMillis(fetch, 99)));
        }
        System.out.println(result);
    }

    /** The newest whole segment the LL-HLS playlist lists (starting the output if it is not running yet). */
    private static String newestSegment(String host, int port, String streamPath) throws IOException,
            InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI playlist = URI.create("http://" + host + ":" + port + streamPath + "/ll.m3u8");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(playlist).build(),
                HttpResponse.BodyHandlers.ofString());
        String newest = HlsClientConnection.newestWholeSegment(response.body());
        if (response.statusCode() != 200 || newest == null) {
            throw new IOException("no whole segment in " + playlist + " (HTTP " + response.statusCode() + ")");
        }
        return streamPath + "/" + newest;
    }

    private static int failed(List<HlsClientConnection> connections) {
        int failed = 0;
        for (HlsClientConnection connection : connections) {
            if (connection.failure() != null) {
                failed++;
            }
        }
        return failed;
    }
}
