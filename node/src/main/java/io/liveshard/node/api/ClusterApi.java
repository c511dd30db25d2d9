package io.liveshard.node.api;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code GET /api/v1/cluster}: the cluster's nodes (address, roles, status), which streams each owns (every stream
 * is its own shard, so Cluster Sharding's statistics say where each stream lives), the streams this node relays
 * from other nodes, and this node's CPU and memory.
 */
public final class ClusterApi {

    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);

    /** One member of the cluster. */
    public record NodeView(String address, List<String> roles, String status, boolean self,
                           List<String> streamsOwned) {}

    /** This node's own load: process CPU in percent of one core, heap in use and its limit. */
    public record Load(double cpuPercentOfOneCore, long heapUsedBytes, long heapMaxBytes) {}

    public record ClusterView(String self, List<NodeView> nodes, Map<String, Long> relayedStreams, Load load) {}

    private final ActorSystem<?> system;
    private final StreamDirectory streams;
    private long lastCpuNanos;
    private long lastWallNanos = ManagementFactory.getRuntimeMXBean().getStartTime() > 0
            ? System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000 : System.nanoTime();

    public ClusterApi(ActorSystem<?> system, StreamDirectory streams) {
        this.system = system;
        this.streams = streams;
    }

    public CompletionStage<HttpResponse> view() {
        CompletionStage<ShardRegion.ClusterShardingStats> stats = AskPattern.ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetClusterShardingStats(StreamEntity.TYPE_KEY, STATS_TIMEOUT, replyTo),
                STATS_TIMEOUT.plusSeconds(1), system.scheduler());
        return stats.handle((sharding, failure) -> {
            if (failure != null) {
                return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE,
                        "cluster sharding did not answer: " + failure.getMessage());
            }
            return ApiJson.ok(view(sharding));
        });
    }

    private ClusterView view(ShardRegion.ClusterShardingStats sharding) {
        Cluster cluster = Cluster.get(system);
        Address self = cluster.selfMember().address();
        Map<Address, ShardRegion.ShardRegionStats> regions = sharding.getRegions();
        List<NodeView> nodes = new ArrayList<>();
        for (Member member : cluster.state().getMembers()) {
            ShardRegion.ShardRegionStats region = regions.get(member.address());
            List<String> owned = region == null ? List.of() : List.copyOf(new TreeSet<>(region.getStats().keySet()));
            nodes.add(new NodeView(member.address().toString(), List.copyOf(new TreeSet<>(member.getRoles())),
                    member.status().toString(), member.address().equals(self), owned));
        }
        Map<String, Long> relayed = new TreeMap<>();
        streams.relayCopies().forEach((key, copies) -> relayed.put(key.id(), copies));
        return new ClusterView(self.toString(), nodes, relayed, load());
    }

    /** CPU since the previous request (or since the node started), from the process's CPU time; -1 if unknown. */
    private synchronized Load load() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        double cpu = -1;
        if (os instanceof com.sun.management.OperatingSystemMXBean process) {
            long cpuNanos = process.getProcessCpuTime();
            long wallNanos = System.nanoTime();
            cpu = 100.0 * (cpuNanos - lastCpuNanos) / Math.max(1, wallNanos - lastWallNanos);
            lastCpuNanos = cpuNanos;
            lastWallNanos = wallNanos;
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Load(Math.round(cpu * 10) / 10.0, heap.getUsed(), heap.getMax());
    }
}
