package io.liveshard.node.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Viewers against a running node, to measure what each costs the node and how late it gets frames:
 * {@code ./liveshard load --http-flv 300 --rtmp 0 --stream live/bench --seconds 30 --http-port 18080}.
 *
 * <p>Phases, each bounded in time: node CPU with the publisher alone (baseline), viewers connect in batches until
 * every one receives video (or the connect timeout), warm-up, then the measured window. It reports per protocol the
 * viewers connected and failed, frames and bytes per viewer (min/median/max), the node's CPU in percent of one core
 * in total and per viewer, and the jitter of video frames against the stream's clock (see {@link ViewerConnection}),
 * then one plain {@code RESULT} line. The tool talks only to loopback addresses and exits by itself.
 */
public final class LoadTool {

    private static final int SELECTOR_THREADS = 2;
    private static final long BATCH_INTERVAL_MILLIS = 50;

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("load: " + e.getMessage());
            }
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        long pid = options.pid();
        if (pid == 0) {
            int port = options.rtmpViewers() > 0 || options.httpFlvViewers() == 0 ? options.rtmpPort()
                    : options.httpPort();
            OptionalLong found = ProcessCpu.listeningOn(port);
            if (found.isEmpty()) {
                System.err.println("load: no process of this user listens on port " + port + "; give --pid");
                System.exit(2);
            }
            pid = found.getAsLong();
        }
        System.exit(new LoadTool().run(options, new ProcessCpu(pid)));
    }

    private int run(LoadOptions options, ProcessCpu node) throws IOException, InterruptedException {
        ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
        int total = options.httpFlvViewers() + options.rtmpViewers();
        String host = options.host().getHostAddress();
        System.out.printf(Locale.ROOT, "load: node pid %d, %d HTTP-FLV + %d RTMP viewers of %s/%s on %s%n",
                node.pid(), options.httpFlvViewers(), options.rtmpViewers(), options.app(), options.stream(), host);

        double baselinePercent = Double.NaN;
        if (options.baselineSeconds() > 0) {
            long cpu0 = node.cpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(options.baselineSeconds() * 1000L);
            baselinePercent = percent(node.cpuNanos() - cpu0, System.nanoTime() - t0);
            System.out.printf(Locale.ROOT, "load: baseline (no viewers) node CPU %.2f%% of one core over %d s%n",
                    baselinePercent, options.baselineSeconds());
        }

        long hardDeadline = System.nanoTime() + (options.connectSeconds() + options.warmupSeconds()
                + options.seconds() + 10L) * 1_000_000_000L;
        MeasurementWindow window = new MeasurementWindow();
        AtomicInteger receiving = new AtomicInteger();
        List<SelectorLoop> loops = new ArrayList<>();
        for (int i = 0; i < SELECTOR_THREADS; i++) {
            SelectorLoop loop = new SelectorLoop("load-selector-" + i, hardDeadline);
            loop.start();
            loops.add(loop);
        }
        List<ViewerConnection> viewers = new ArrayList<>(total);
        InetSocketAddress http = new InetSocketAddress(options.host(), options.httpPort());
        InetSocketAddress rtmp = new InetSocketAddress(options.host(), options.rtmpPort());
        for (int i = 0; i < total; i++) {
            // Alternate the protocols so that both see the same conditions when run together.
            boolean flv = options.rtmpViewers() == 0 || (i % 2 == 0 ? viewersOf(viewers, "http-flv")
                    < options.httpFlvViewers() : viewersOf(viewers, "rtmp") >= options.rtmpViewers());
            ViewerConnection viewer = flv
                    ? new HttpFlvViewerConnection(i, host, options.httpPort(), options.app(), options.stream(), window,
                            receiving)
                    : new RtmpViewerConnection(i, host, options.rtmpPort(), options.app(), options.stream(), window,
                            receiving);
            viewers.add(viewer);
            loops.get(i % loops.size()).connect(viewer, flv ? http : rtmp);
            if ((i + 1) % options.connectsPerBatch() == 0) {
                Thread.sleep(BATCH_INTERVAL_MILLIS);
            }
        }

        long connectDeadline = System.nanoTime() + options.connectSeconds() * 1_000_000_000L;
        long nextProgress = 0;
        while (System.nanoTime() < connectDeadline) {
            int failed = failed(viewers);
            if (receiving.get() + failed >= total) {
                break;
            }
            if (System.nanoTime() >= nextProgress) {
                System.out.printf("load: %d of %d viewers receive video, %d failed%n", receiving.get(), total, failed);
                nextProgress = System.nanoTime() + 2_000_000_000L;
            }
            Thread.sleep(100);
        }
        System.out.printf("load: %d of %d viewers receive video, %d failed; warming up %d s%n", receiving.get(), total,
                failed(viewers), options.warmupSeconds());
        // The window's own reading of /metrics would otherwise be the node's first request through Pekko HTTP (the
        // viewers' plays bypass it): its classes load and compile during the warm-up instead of in the window.
        scrapeLatency(options);
        Thread.sleep(options.warmupSeconds() * 1000L);

        long start = System.nanoTime();
        long end = start + options.seconds() * 1_000_000_000L;
        Map<String, ServerLatencyScrape> latencyBefore = scrapeLatency(options);
        ThreadCpu nodeThreads = new ThreadCpu(node.pid());
        long nodeCpu0 = node.cpuNanos();
        long selfCpu0 = self.cpuNanos();
        window.open(start, end);
        System.out.printf("load: measuring for %d s%n", options.seconds());
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
        }
        long nodeCpu1 = node.cpuNanos();
        long selfCpu1 = self.cpuNanos();
        long measured = System.nanoTime() - start;
        String threadsLine = nodeThreads.line(measured);
        Map<String, ServerLatencyScrape> latencyAfter = scrapeLatency(options);
        for (SelectorLoop loop : loops) {
            loop.stop();
        }
        for (SelectorLoop loop : loops) {
            loop.join(5000);
        }

        double nodePercent = percent(nodeCpu1 - nodeCpu0, measured);
        double selfPercent = percent(selfCpu1 - selfCpu0, measured);
        Report report = new Report(options, viewers, nodePercent, baselinePercent, selfPercent);
        report.print();
        System.out.println(threadsLine);
        for (Map.Entry<String, ServerLatencyScrape> after : latencyAfter.entrySet()) {
            ServerLatencyScrape before = latencyBefore.get(after.getKey());
            long frames = after.getValue().framesSince(before);
            if (frames > 0) {
                System.out.printf(Locale.ROOT, "SERVER %s frames=%d srv_lat_p50_ms<=%s srv_lat_p99_ms<=%s %s "
                                + "(the node's own histogram: ingest to socket hand-off, bucket upper bounds)%n",
                        after.getKey(), frames, after.getValue().quantileSince(before, 0.5),
                        after.getValue().quantileSince(before, 0.99), after.getValue().sharesWithinSince(before));
            }
        }
        return report.healthy() ? 0 : 1;
    }

    private static Map<String, ServerLatencyScrape> scrapeLatency(LoadOptions options) {
        Map<String, ServerLatencyScrape> scrapes = new TreeMap<>();
        for (String protocol : List.of("http-flv", "rtmp")) {
            scrapes.put(protocol, ServerLatencyScrape.read(options.host().getHostAddress(), options.httpPort(),
                    options.app(), options.stream(), protocol));
        }
        return scrapes;
    }

    private static long viewersOf(List<ViewerConnection> viewers, String protocol) {
        return viewers.stream().filter(v -> v.protocol.equals(protocol)).count();
    }

    private static int failed(List<ViewerConnection> viewers) {
        int failed = 0;
        for (ViewerConnection viewer : viewers) {
            if (viewer.failure() != null) {
                failed++;
            }
        }
        return failed;
    }

    private static double percent(long cpuNanos, long wallNanos) {
        return 100.0 * cpuNanos / wallNanos;
    }

    /** The figures of one run, per protocol and in total. */
    private record Report(LoadOptions options, List<ViewerConnection> viewers, double nodePercent,
                          double baselinePercent, double toolPercent) {

        boolean healthy() {
            return viewers.stream().allMatch(v -> v.failure() == null && v.receiving());
        }

        void print() {
            System.out.println();
            int receivingTotal = 0;
            StringBuilder result = new StringBuilder("RESULT");
            result.append(String.format(Locale.ROOT, " http_flv=%d rtmp=%d window_s=%d",
                    options.httpFlvViewers(), options.rtmpViewers(), options.seconds()));
            for (String protocol : List.of("http-flv", "rtmp")) {
                List<ViewerConnection> group = viewers.stream().filter(v -> v.protocol.equals(protocol)).toList();
                if (group.isEmpty()) {
                    continue;
                }
                List<ViewerConnection> ok = group.stream().filter(v -> v.failure() == null && v.receiving()).toList();
                receivingTotal += ok.size();
                long failed = group.stream().filter(v -> v.failure() != null).count();
                long[] frames = ok.stream().mapToLong(ViewerConnection::mediaFramesInWindow).sorted().toArray();
                long[] videoFrames = ok.stream().mapToLong(ViewerConnection::videoFramesInWindow).sorted().toArray();
                long[] kbps = ok.stream().mapToLong(v -> v.bytesInWindow() * 8 / 1000 / options.seconds()).sorted()
                        .toArray();
                int[] jitter = ok.stream().map(ViewerConnection::jitterAboveMinimumMicros)
                        .flatMapToInt(Arrays::stream).sorted().toArray();
                int[] viewerP99 = ok.stream().mapToInt(v -> percentile(sorted(v.jitterAboveMinimumMicros()), 99))
                        .sorted().toArray();
                System.out.printf(Locale.ROOT, "%s: %d viewers, %d receiving, %d failed, %d not receiving%n",
                        protocol, group.size(), ok.size(), failed, group.size() - ok.size() - failed);
                group.stream().filter(v -> v.failure() != null).map(ViewerConnection::failure).distinct().limit(5)
                        .forEach(reason -> System.out.println("  failure: " + reason));
                System.out.printf(Locale.ROOT, "  frames per viewer (audio+video) min/median/max %s, video median %d%n",
                        minMedMax(frames), median(videoFrames));
                System.out.printf(Locale.ROOT, "  kbit/s per viewer min/median/max %s%n", minMedMax(kbps));
                System.out.printf(Locale.ROOT, "  video frame jitter above each viewer's best frame: p50 %.1f ms, "
                                + "p99 %.1f ms, max %.1f ms (%d frames); worst viewer p99 %.1f ms%n",
                        percentile(jitter, 50) / 1000.0, percentile(jitter, 99) / 1000.0,
                        percentile(jitter, 100) / 1000.0, jitter.length,
                        percentile(viewerP99, 100) / 1000.0);
                String key = protocol.replace('-', '_');
                result.append(String.format(Locale.ROOT,
                        " %s_receiving=%d %s_failed=%d %s_frames_med=%d %s_kbps_med=%d %s_lat_p50_ms=%.1f"
                                + " %s_lat_p99_ms=%.1f",
                        key, ok.size(), key, failed, key, median(frames), key, median(kbps), key,
                        percentile(jitter, 50) / 1000.0, key, percentile(jitter, 99) / 1000.0));
            }
            double perViewer = receivingTotal == 0 ? Double.NaN : nodePercent / receivingTotal;
            double marginal = receivingTotal == 0 || Double.isNaN(baselinePercent) ? Double.NaN
                    : (nodePercent - baselinePercent) / receivingTotal;
            System.out.printf(Locale.ROOT, "node CPU %.1f%% of one core (baseline without viewers %.1f%%): "
                            + "%.4f%% per viewer, %.4f%% per viewer above baseline; load tool CPU %.1f%%%n",
                    nodePercent, baselinePercent, perViewer, marginal, toolPercent);
            result.append(String.format(Locale.ROOT,
                    " node_cpu_pct=%.1f baseline_cpu_pct=%.1f cpu_pct_per_viewer=%.4f marginal_cpu_pct_per_viewer=%.4f"
                            + " tool_cpu_pct=%.1f",
                    nodePercent, baselinePercent, perViewer, marginal, toolPercent));
            System.out.println(result);
        }

        private static int[] sorted(int[] values) {
            Arrays.sort(values);
            return values;
        }

        /** Nearest-rank percentile of sorted values; 0 when there are none. */
        private static int percentile(int[] sorted, int p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }

        private static long median(long[] sorted) {
            return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
        }

        private static String minMedMax(long[] sorted) {
            return sorted.length == 0 ? "-" : sorted[0] + "/" + median(sorted) + "/" + sorted[sorted.length - 1];
        }
    }
}
