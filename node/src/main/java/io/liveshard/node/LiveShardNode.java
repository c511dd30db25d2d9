package io.liveshard.node;

import com.typesafe.config.Config;
import io.liveshard.node.api.ApiToken;
import io.liveshard.node.api.LiveStreamIndex;
import io.liveshard.node.api.QoeApi;
import io.liveshard.node.api.ServerLatencyWindow;
import io.liveshard.node.api.StreamApi;
import io.liveshard.node.api.ClusterApi;
import io.liveshard.node.api.TrafficApi;
import io.liveshard.node.api.StreamEvents;
import io.liveshard.node.api.StreamHistory;
import io.liveshard.node.artc.ArtcSettings;
import io.liveshard.node.artc.ArtcTransport;
import io.liveshard.node.artc.WhepHandler;
import io.liveshard.node.auth.AuthSettings;
import io.liveshard.node.auth.SignedUrlAuth;
import io.liveshard.node.console.StaticAssets;
import io.liveshard.node.flv.HttpFlvHandler;
import io.liveshard.node.hls.HlsHandler;
import io.liveshard.node.hls.HlsOutputs;
import io.liveshard.node.hls.HlsSegmenter;
import io.liveshard.node.hls.LlHlsHandler;
import io.liveshard.node.hls.LlHlsSegmenter;
import io.liveshard.node.hls.LlHlsSettings;
import io.liveshard.node.hls.HlsSettings;
import io.liveshard.node.hooks.HookSettings;
import io.liveshard.node.hooks.Webhooks;
import io.liveshard.node.http.HttpServer;
import io.liveshard.node.http.TlsSettings;
import io.liveshard.node.limits.ConnectionLimits;
import io.liveshard.node.limits.LimitSettings;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.net.EventLoops;
import io.liveshard.node.net.TcpListener;
import io.liveshard.node.qoe.QoeAggregator;
import io.liveshard.node.qoe.QoeMetrics;
import io.liveshard.node.qoe.QoeRateLimiter;
import io.liveshard.node.qoe.QoeSettings;
import io.liveshard.node.rtmp.RtmpServer;
import io.liveshard.node.rtmp.RtmpSettings;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.node.stream.StreamSettings;
import io.liveshard.node.transcode.FfmpegCodecs;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running LiveShard node: its actor system (a cluster member, a one-node cluster unless seed nodes are
 * configured), the stream entities' sharding, the RTMP port and the HTTP port.
 */
public final class LiveShardNode implements AutoCloseable {

    private static final Duration SELF_JOIN_TIMEOUT = Duration.ofSeconds(10);
    /** How often the artc candidates' host names are resolved again (the JDK caches a lookup for 30 s). */
    private static final Duration CANDIDATE_REFRESH = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(LiveShardNode.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
    private static final String MEDIA_DISPATCHER = "liveshard.media-dispatcher";

    private final ActorSystem<Void> system;
    private final StreamDirectory streams;
    private final TcpListener rtmpBinding;
    private final HttpServer.Binding httpBinding;
    private final int artcPort;

    private LiveShardNode(ActorSystem<Void> system, StreamDirectory streams, TcpListener rtmpBinding,
                          HttpServer.Binding httpBinding, int artcPort) {
        this.system = system;
        this.streams = streams;
        this.rtmpBinding = rtmpBinding;
        this.httpBinding = httpBinding;
        this.artcPort = artcPort;
    }

    /** Starts a node with {@code overrides} layered over the configuration files (see {@link NodeConfig}). */
    public static LiveShardNode start(Config overrides) throws Exception {
        Config config = NodeConfig.load(overrides);
        for (NodeConfig.UnknownSetting unknown : NodeConfig.unknownSettings(config)) {
            log.warn("config: unknown setting {}, ignored", unknown);
        }
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "liveshard", config);
        try {
            Cluster cluster = Cluster.get(system);
            List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
            if (seeds.isEmpty()) {
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
                // A node refuses clients until it is a member (StreamDirectory.notServing): a node of its own is one
                // within milliseconds, before its first client.
                awaitUp(cluster, SELF_JOIN_TIMEOUT);
            }
            Config liveshard = config.getConfig("liveshard");
            StreamSettings streamSettings = StreamSettings.fromConfig(liveshard.getConfig("stream"));
            StreamEntity.init(system, streamSettings);
            LimitSettings limitSettings = LimitSettings.fromConfig(liveshard.getConfig("limits"));
            // HLS muxers and the artc audio transcoder subscribe like viewers but feed outputs: not counted as viewers.
            StreamDirectory streams = new StreamDirectory(system, streamSettings, limitSettings,
                    Set.of("hls", "ll-hls", ArtcSettings.AUDIO_SUBSCRIBER));
            ConnectionLimits connections = new ConnectionLimits(limitSettings);
            Duration forgetIdleAddresses = Duration.ofSeconds(10);
            system.scheduler().scheduleWithFixedDelay(forgetIdleAddresses, forgetIdleAddresses, connections::sweep,
                    system.executionContext());

            NodeMetrics metrics = new NodeMetrics(liveshard.getInt("metrics.max-streams"),
                    liveshard.getInt("metrics.server-latency.exact-viewers"),
                    liveshard.getInt("metrics.server-latency.sample-every-drains"));
            SignedUrlAuth auth = new SignedUrlAuth(AuthSettings.fromConfig(liveshard.getConfig("auth")), metrics,
                    Clock.systemUTC());
            Webhooks hooks = new Webhooks(HookSettings.fromConfig(liveshard.getConfig("hooks"),
                    liveshard.getDuration("hls.viewer-window")), metrics, cluster.selfMember().address().hostPort());
            RtmpSettings rtmpSettings = RtmpSettings.fromConfig(liveshard.getConfig("rtmp"));
            EventLoops loops = EventLoops.start("liveshard-net", liveshard.getInt("net.event-loops"),
                    liveshard.getDuration("net.write-merge-window"));
            system.getWhenTerminated().thenRun(loops::close);
            TcpListener rtmp = new RtmpServer(rtmpSettings, streams, metrics, auth, hooks, connections)
                    .bind(system, loops).toCompletableFuture().get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Executor media = system.dispatchers().lookup(DispatcherSelector.fromConfig(MEDIA_DISPATCHER));
            HlsSettings hlsSettings = HlsSettings.fromConfig(liveshard.getConfig("hls"));
            LlHlsSettings llHlsSettings = LlHlsSettings.fromConfig(liveshard.getConfig("hls.ll"));
            HlsOutputs<HlsSegmenter> hlsOutputs = HlsOutputs.classic(streams, hlsSettings, media, metrics);
            HlsOutputs<LlHlsSegmenter> llHlsOutputs =
                    HlsOutputs.lowLatency(streams, hlsSettings, llHlsSettings, media, metrics);
            Duration sweep = hlsSettings.sweepInterval();
            system.scheduler().scheduleWithFixedDelay(sweep, sweep, () -> {
                hlsOutputs.sweep();
                llHlsOutputs.sweep();
            }, system.executionContext());
            ArtcSettings artcSettings = ArtcSettings.fromConfig(liveshard.getConfig("artc"));
            ArtcTransport artc = ArtcTransport.bind(artcSettings.bindAddress(), artcSettings.port(), loops);
            // FFmpeg's natives take a few hundred milliseconds to unpack and load: done now, in the background,
            // rather than in the first artc viewer's WHEP request.
            Thread preload = new Thread(FfmpegCodecs::unavailableReason, "ffmpeg-preload");
            preload.setDaemon(true);
            preload.start();
            // A DTLS handshake blocks a thread while it waits for the viewer's flights (from its first DTLS datagram
            // to its end or timeout); a viewer's later DTLS datagrams borrow one for a moment. Not bounded by a
            // count: a bound would let a few stalled handshakes hold up everyone's, and sessions are bounded anyway.
            ExecutorService blocking = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "artc-dtls");
                thread.setDaemon(true);
                return thread;
            });
            WhepHandler whep = new WhepHandler(artcSettings, artc, streams, metrics, blocking, connections);
            system.scheduler().scheduleWithFixedDelay(sweep, sweep, whep::sweep, system.executionContext());
            system.scheduler().scheduleWithFixedDelay(CANDIDATE_REFRESH, CANDIDATE_REFRESH,
                    () -> {
                        try {
                            blocking.execute(whep::refreshCandidates);
                        } catch (RejectedExecutionException stopping) {
                            // The node is stopping: nothing to announce any more.
                        }
                    }, system.executionContext());
            system.getWhenTerminated().thenRun(() -> {
                blocking.shutdownNow();
                artc.close();
            });
            Materializer materializer = Materializer.matFromSystem(system);
            Api api = streamApi(system, liveshard, streams, metrics, hlsOutputs, llHlsOutputs);
            HttpServer http = new HttpServer(
                    new HttpFlvHandler(streams, liveshard.getDuration("http-flv.wait-for-publisher"), metrics,
                            hooks, connections),
                    new HlsHandler(hlsOutputs), new LlHlsHandler(llHlsOutputs, llHlsSettings),
                    api.streams(), whep, metrics, materializer,
                    qoeApi(system, liveshard, metrics, api, materializer),
                    new StaticAssets(LiveShardNode.class.getClassLoader()),
                    liveshard.getBoolean("http-flv.enabled"),
                    new StreamEvents(api.streams(), liveshard.getDuration("api.events-interval"), materializer),
                    new ApiToken(liveshard.getString("api.token"), metrics), auth, hooks);
            TlsSettings tls = TlsSettings.fromConfig(liveshard.getConfig("http.tls"));
            HttpServer.Binding httpBinding = http.bind(system, liveshard.getString("http.bind-address"),
                    liveshard.getInt("http.port"), tls, loops).toCompletableFuture().get(BIND_TIMEOUT.toSeconds(),
                    TimeUnit.SECONDS);
            String management = liveshard.getBoolean("management.enabled")
                    ? PekkoManagement.get(system).start().toCompletableFuture()
                            .get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS).toString()
                    : "off";
            if (streams.notServing().isPresent()) {
                log.info("joining the cluster through {}: publishers and viewers are refused until a seed node has "
                        + "let this node in", seeds);
            }
            log.info("LiveShard node up: rtmp on {}, {} on {}, artc on udp {}, cluster address {}, management {}",
                    rtmp.localAddress(), tls.enabled() ? "https" : "http", httpBinding.localAddress(),
                    artc.localPort(), cluster.selfMember().address(), management);
            return new LiveShardNode(system, streams, rtmp, httpBinding, artc.localPort());
        } catch (Exception e) {
            system.terminate();
            throw e;
        }
    }

    private static void awaitUp(Cluster cluster, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (cluster.selfMember().status() != MemberStatus.up() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** The stream API and the QoE aggregation it shows, which the QoE endpoint feeds. */
    private record Api(StreamApi streams, QoeAggregator qoe, LiveStreamIndex index) {}

    private static Api streamApi(ActorSystem<Void> system, Config liveshard, StreamDirectory streams,
                                 NodeMetrics metrics, HlsOutputs<HlsSegmenter> hls, HlsOutputs<LlHlsSegmenter> llHls) {
        Duration tick = Duration.ofSeconds(1);
        ServerLatencyWindow serverLatency = new ServerLatencyWindow(metrics,
                Math.toIntExact(liveshard.getDuration("api.latency-window").toSeconds()) + 1);
        system.scheduler().scheduleWithFixedDelay(tick, tick, serverLatency::sample, system.executionContext());
        QoeSettings qoeSettings = QoeSettings.fromConfig(liveshard.getConfig("qoe"));
        QoeAggregator qoe = new QoeAggregator(qoeSettings.window(), qoeSettings.maxStreams());
        LiveStreamIndex index = new LiveStreamIndex(system, streams);
        ClusterApi cluster = new ClusterApi(system, streams);
        Duration historyInterval = liveshard.getDuration("api.history-interval");
        StreamHistory history = new StreamHistory(historyInterval.toMillis(),
                liveshard.getInt("api.history-max-streams"));
        StreamApi api = new StreamApi(streams, Map.of("hls", hls::viewers, "ll-hls", llHls::viewers),
                Set.of(ArtcSettings.AUDIO_SUBSCRIBER, StreamEntity.RELAY_PROTOCOL), index,
                serverLatency, qoe, cluster, new TrafficApi(metrics.traffic()), history);
        sampleHistoryEvery(system, streams, api, historyInterval);
        cluster.reportLoad(api::viewersByProtocol);
        system.scheduler().scheduleWithFixedDelay(tick, tick,
                () -> metrics.traffic().tick(System.currentTimeMillis()), system.executionContext());
        return new Api(api, qoe, index);
    }

    /**
     * One sample after another, each an interval after the last was made: a slow one never overlaps the next. None
     * once the node stops: asking its stream entities then would only add to the shutdown.
     */
    private static void sampleHistoryEvery(ActorSystem<Void> system, StreamDirectory streams, StreamApi api,
                                           Duration interval) {
        try {
            system.scheduler().scheduleOnce(interval, () -> {
                if (streams.shuttingDown()) {
                    return;
                }
                api.sampleHistory().whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.debug("api history: no sample this time, {}", failure.toString());
                    }
                    sampleHistoryEvery(system, streams, api, interval);
                });
            }, system.executionContext());
        } catch (org.apache.pekko.actor.SchedulerException stopping) {
            // The actor system is terminating: no more samples.
        }
    }

    private static QoeApi qoeApi(ActorSystem<Void> system, Config liveshard, NodeMetrics metrics, Api api,
                                 Materializer materializer) {
        QoeSettings settings = QoeSettings.fromConfig(liveshard.getConfig("qoe"));
        QoeRateLimiter rateLimiter = new QoeRateLimiter(settings.reportsPerSecond(), settings.burst(),
                settings.maxClients());
        Duration sweep = settings.window();
        system.scheduler().scheduleWithFixedDelay(sweep, sweep, () -> {
            rateLimiter.sweep(System.nanoTime());
            api.index().entities().thenAccept(api.qoe()::retainOnly);
        }, system.executionContext());
        return new QoeApi(settings, rateLimiter, api.qoe(), new QoeMetrics(metrics), metrics, api.streams(),
                materializer);
    }

    public int rtmpPort() {
        return rtmpBinding.localAddress().getPort();
    }

    public int httpPort() {
        return httpBinding.localAddress().getPort();
    }

    public int artcPort() {
        return artcPort;
    }

    public StreamDirectory streams() {
        return streams;
    }

    public ActorSystem<Void> system() {
        return system;
    }

    /** Stops accepting, closes every connection and terminates the actor system. */
    @Override
    public void close() throws Exception {
        CompletableFuture.allOf(
                        rtmpBinding.unbind().toCompletableFuture(),
                        httpBinding.stop(Duration.ofSeconds(2)).toCompletableFuture())
                .exceptionally(failure -> null)
                .get(10, TimeUnit.SECONDS);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
