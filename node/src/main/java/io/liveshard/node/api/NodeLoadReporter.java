package io.liveshard.node.api;

import io.liveshard.node.stream.CrossNodeMessage;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One per node, registered with the cluster's receptionist: answers any node's {@link GetLoad} with this node's
 * viewers by protocol, CPU and heap, so that every node's {@code /api/v1/cluster} (and console) shows the whole
 * cluster's load. Asked on demand, not gossiped: the cluster view is requested every few seconds by a console at
 * most, and an answer costs one stream-list snapshot.
 */
public final class NodeLoadReporter {

    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "liveshard-node-load");

    /** CPU is measured over this period, so that the figure does not depend on how often anyone asks. */
    private static final Duration CPU_PERIOD = Duration.ofSeconds(2);
    /**
     * Counting viewers asks every stream entity here; one that is slow (busy, moving) must not delay the answer
     * past the asker's timeout ({@code ClusterApi}: 2 s): the answer then goes without viewers.
     */
    private static final Duration VIEWERS_DEADLINE = Duration.ofMillis(1500);

    public sealed interface Command {}

    /** Another node (or this one) asks for the load. */
    public record GetLoad(ActorRef<NodeLoad> replyTo) implements Command, CrossNodeMessage {}

    private enum SampleCpu implements Command { INSTANCE }

    /**
     * A node's load.
     *
     * @param address              the node's cluster address
     * @param viewers              viewers on this node by protocol, summed over its streams (as the stream list
     *                             counts them); null when they could not be counted in time
     * @param cpuPercentOfOneCore  the process's CPU over the last {@link #CPU_PERIOD}; -1 when unknown
     */
    public record NodeLoad(String address, Map<String, Integer> viewers, double cpuPercentOfOneCore,
                           long heapUsedBytes, long heapMaxBytes) implements CrossNodeMessage {}

    private NodeLoadReporter() {}

    /** @param viewers this node's viewers by protocol, now */
    static Behavior<Command> create(String address, Supplier<CompletionStage<Map<String, Integer>>> viewers,
                                    CpuSampler cpu) {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
            return Behaviors.withTimers(timers -> {
                timers.startTimerWithFixedDelay(SampleCpu.INSTANCE, CPU_PERIOD);
                return Behaviors.receive(Command.class)
                        .onMessageEquals(SampleCpu.INSTANCE, () -> {
                            cpu.sample();
                            return Behaviors.same();
                        })
                        .onMessage(GetLoad.class, get -> {
                            // Answered from the snapshot's completion, never waited for in the actor.
                            viewers.get().toCompletableFuture()
                                    .completeOnTimeout(null, VIEWERS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                                    .whenComplete((counts, failure) -> get.replyTo().tell(
                                            load(address, failure == null ? counts : null, cpu)));
                            return Behaviors.same();
                        })
                        .build();
            });
        });
    }

    /** @param viewers null when unknown */
    static NodeLoad load(String address, Map<String, Integer> viewers, CpuSampler cpu) {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new NodeLoad(address, viewers == null ? null : Map.copyOf(viewers), cpu.percentOfOneCore(),
                heap.getUsed(), heap.getMax());
    }

    /** The process's CPU time over the last sampling period, in percent of one core. */
    static final class CpuSampler {
        private long lastCpuNanos = processCpuNanos();
        private long lastWallNanos = System.nanoTime();
        private volatile double percent = -1;

        synchronized void sample() {
            long cpuNanos = processCpuNanos();
            long wallNanos = System.nanoTime();
            if (cpuNanos >= 0 && lastCpuNanos >= 0) {
                percent = Math.round(1000.0 * (cpuNanos - lastCpuNanos) / Math.max(1, wallNanos - lastWallNanos))
                        / 10.0;
            }
            lastCpuNanos = cpuNanos;
            lastWallNanos = wallNanos;
        }

        double percentOfOneCore() {
            return percent;
        }

        private static long processCpuNanos() {
            return ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean process ? process.getProcessCpuTime() : -1;
        }
    }
}
