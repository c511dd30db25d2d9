package io.liveshard.node.api;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code GET /api/v1/cluster}: the cluster's nodes (address, roles, status), which streams each owns (every stream
 * is its own shard, so Cluster Sharding's statistics say where each stream lives), each node's viewers by protocol,
 * CPU and memory (asked of every node's {@link NodeLoadReporter}), and the streams this node relays from other
 * nodes.
 */
public final class ClusterApi {

    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);
    /** A node that does not tell its load within this time is shown without it (viewers and load null). */
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(2);

    /**
     * One member of the cluster.
     *
     * @param viewers viewers on the node by protocol; null when the node did not answer in time
     * @param load    the node's CPU and heap; null when the node did not answer in time
     */
    public record NodeView(String address, List<String> roles, String status, boolean self,
                           List<String> streamsOwned, Map<String, Integer> viewers, Load load) {}

    /** This node's own load: process CPU in percent of one core, heap in use and its limit. */
    public record Load(double cpuPercentOfOneCore, long heapUsedBytes, long heapMaxBytes) {}

    public record ClusterView(String self, List<NodeView> nodes, Map<String, Long> relayedStreams, Load load) {}

    private final ActorSystem<?> system;
    private final StreamDirectory streams;
    private final NodeLoadReporter.CpuSampler cpu = new NodeLoadReporter.CpuSampler();

    public ClusterApi(ActorSystem<?> system, StreamDirectory streams) {
        this.system = system;
        this.streams = streams;
    }

    /**
     * Starts this node's {@link NodeLoadReporter}, which every node's cluster view asks.
     *
     * @param viewers this node's viewers by protocol, now
     */
    public void reportLoad(Supplier<CompletionStage<Map<String, Integer>>> viewers) {
        String self = Cluster.get(system).selfMember().address().toString();
        system.systemActorOf(NodeLoadReporter.create(self, viewers, cpu), "node-load", Props.empty());
    }

    public CompletionStage<HttpResponse> view() {
        CompletionStage<ShardRegion.ClusterShardingStats> stats = AskPattern.ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetClusterShardingStats(StreamEntity.TYPE_KEY, STATS_TIMEOUT, replyTo),
                STATS_TIMEOUT.plusSeconds(1), system.scheduler());
        // Loads are extra information: without them (the receptionist did not answer) the view still shows.
        CompletionStage<Map<String, NodeLoadReporter.NodeLoad>> loads = loads().exceptionally(failure -> Map.of());
        return stats.thenCombine(loads, this::view).handle((view, failure) -> failure != null
                ? HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, "cluster sharding did not answer: "
                        + failure.getMessage())
                : ApiJson.ok(view));
    }

    /** Every reachable node's load by address; a node that does not answer in time is left out. */
    private CompletionStage<Map<String, NodeLoadReporter.NodeLoad>> loads() {
        CompletionStage<Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
                replyTo -> Receptionist.find(NodeLoadReporter.KEY, replyTo), LOAD_TIMEOUT, system.scheduler());
        return listing.thenCompose(found -> {
            List<CompletableFuture<NodeLoadReporter.NodeLoad>> asked = found
                    .getServiceInstances(NodeLoadReporter.KEY).stream()
                    .map(reporter -> AskPattern.<NodeLoadReporter.Command, NodeLoadReporter.NodeLoad>ask(reporter,
                                    NodeLoadReporter.GetLoad::new, LOAD_TIMEOUT, system.scheduler())
                            .toCompletableFuture().exceptionally(failure -> null))
                    .toList();
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> {
                Map<String, NodeLoadReporter.NodeLoad> byAddress = new TreeMap<>();
                asked.stream().map(CompletableFuture::join).filter(Objects::nonNull)
                        .forEach(load -> byAddress.put(load.address(), load));
                return byAddress;
            });
        });
    }

    private ClusterView view(ShardRegion.ClusterShardingStats sharding,
                             Map<String, NodeLoadReporter.NodeLoad> loads) {
        Cluster cluster = Cluster.get(system);
        Address self = cluster.selfMember().address();
        Map<Address, ShardRegion.ShardRegionStats> regions = sharding.getRegions();
        List<NodeView> nodes = new ArrayList<>();
        for (Member member : cluster.state().getMembers()) {
            ShardRegion.ShardRegionStats region = regions.get(member.address());
            // A stream's shard outlives its passivated entity: only shards with an entity running are streams.
            List<String> owned = region == null ? List.of() : region.getStats().entrySet().stream()
                    .filter(shard -> ((Number) shard.getValue()).intValue() > 0).map(Map.Entry::getKey).sorted()
                    .toList();
            NodeLoadReporter.NodeLoad load = loads.get(member.address().toString());
            nodes.add(new NodeView(member.address().toString(), List.copyOf(new TreeSet<>(member.getRoles())),
                    member.status().toString(), member.address().equals(self), owned,
                    load == null || load.viewers() == null ? null : new TreeMap<>(load.viewers()),
                    load == null ? null : new Load(load.cpuPercentOfOneCore(), load.heapUsedBytes(),
                            load.heapMaxBytes())));
        }
        Map<String, Long> relayed = new TreeMap<>();
        streams.relayCopies().forEach((key, copies) -> relayed.put(key.id(), copies));
        NodeLoadReporter.NodeLoad own = NodeLoadReporter.load(self.toString(), Map.of(), cpu);
        return new ClusterView(self.toString(), nodes, relayed,
                new Load(own.cpuPercentOfOneCore(), own.heapUsedBytes(), own.heapMaxBytes()));
    }
}
