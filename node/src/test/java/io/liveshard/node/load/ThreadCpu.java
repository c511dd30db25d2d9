package io.liveshard.node.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of a process's threads over a window, summed by kind of thread, from
 * {@code /proc/<pid>/task/<tid>/stat}: the event loops, the JIT's compilers, the Pekko dispatchers. It tells a steady
 * state (the loops' share) from one still paying for its start (the compilers run for a minute or more after a
 * load arrives).
 */
final class ThreadCpu {

    /** How many kinds of thread the line names. */
    private static final int BUSIEST_KINDS = 6;

    private final long pid;
    private final long ticksPerSecond = ProcessCpu.clockTicksPerSecond();
    private final Map<String, Sample> atStart;

    /** Starts a window now. */
    ThreadCpu(long pid) throws IOException {
        this.pid = pid;
        this.atStart = sample();
    }

    /**
     * The window's {@code THREADS} line: the busiest kinds of thread since the start, as percent of one core over
     * {@code wallNanos}, e.g. {@code THREADS liveshard-net=12.5 C2_CompilerThre=3.1 (…)}.
     */
    String line(long wallNanos) throws IOException {
        Map<String, Long> ticksByKind = new HashMap<>();
        sample().forEach((tid, now) -> {
            Sample then = atStart.get(tid);
            ticksByKind.merge(now.kind(), now.ticks() - (then == null ? 0 : then.ticks()), Long::sum);
        });
        List<Map.Entry<String, Long>> kinds = new ArrayList<>(ticksByKind.entrySet());
        kinds.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return kinds.stream().limit(BUSIEST_KINDS).filter(kind -> kind.getValue() > 0)
                .map(kind -> String.format(Locale.ROOT, "%s=%.1f", kind.getKey(),
                        100.0 * kind.getValue() * 1_000_000_000L / ticksPerSecond / wallNanos))
                .collect(Collectors.joining(" ", "THREADS ",
                        " (the node's busiest kinds of thread, % of one core over the window)"));
    }

    /** CPU so far per thread, by thread id, with the thread's kind; threads that end meanwhile drop out. */
    private Map<String, Sample> sample() throws IOException {
        Map<String, Sample> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                threads.put(task.getFileName().toString(), new Sample(kindOf(name), ProcessCpu.cpuTicks(stat)));
            }
        }
        return threads;
    }

    /**
     * A thread's name without its number: the kernel keeps 15 characters of it, so "liveshard-net-0" and
     * "liveshard-net-1" are both loops, and Pekko's dispatcher threads are cut to "liveshard-pekko" or similar.
     */
    private static String kindOf(String name) {
        return name.replaceAll("[-#]?\\d+$", "").replace(' ', '_');
    }

    private record Sample(String kind, long ticks) {
    }
}
