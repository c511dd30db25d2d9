package io.liveshard.node.qoe;

import io.liveshard.protocol.media.StreamKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How much heap the QoE aggregation holds per live stream: typical (a few hundred players reporting) and at its
 * bounds (every protocol with as many sessions and samples as it remembers, session names at their longest, the
 * shape a flood of invented sessions for a real stream leaves behind). Run from the bench build:
 * {@code java -cp "node/target-bench/test-classes:node/target-bench/classes:protocol/target-bench/classes"
 * io.liveshard.node.qoe.QoeMemoryFootprint [streams]}.
 */
public final class QoeMemoryFootprint {

    private static final long SECOND = 1_000_000_000L;

    public static void main(String[] args) throws InterruptedException {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        System.out.printf("typical (300 players over http-flv and artc, 10 samples per report): %.1f KiB per stream%n",
                kibPerStream(streams, 300, 2, 10));
        System.out.printf("at the bounds (%d sessions per protocol, %d protocols, full sample rings): %.1f KiB per "
                        + "stream%n", QoeStreamStats.MAX_SESSIONS, QoeProtocol.values().length,
                kibPerStream(streams, QoeStreamStats.MAX_SESSIONS + 1, QoeProtocol.values().length, 200));
    }

    private static double kibPerStream(int streams, int sessions, int protocols, int samplesPerReport)
            throws InterruptedException {
        long before = usedAfterGc();
        QoeAggregator aggregator = new QoeAggregator(Duration.ofSeconds(30), streams);
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < samplesPerReport; i++) {
            samples.add(0.1 + i / 1000.0);
        }
        long now = 100 * SECOND;
        for (int s = 0; s < streams; s++) {
            StreamKey key = new StreamKey("live", "stream-" + s);
            for (int p = 0; p < protocols; p++) {
                QoeProtocol protocol = QoeProtocol.values()[p];
                for (int session = 0; session < sessions; session++) {
                    String name = String.format("%064d", session);
                    aggregator.record(new QoeBeacon(key, name, protocol,
                            Optional.of(new QoeBeacon.Startup(Optional.of(0.01), Optional.of(0.05), Optional.empty(),
                                    0.2)), 0, 0, 5, samples, List.of()), now);
                }
            }
        }
        long after = usedAfterGc();
        if (aggregator.summary(new StreamKey("live", "stream-0"), now).isEmpty()) {
            throw new IllegalStateException("nothing was recorded");
        }
        return (after - before) / 1024.0 / streams;
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
