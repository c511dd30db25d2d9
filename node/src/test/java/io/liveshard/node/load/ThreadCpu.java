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
 * CPU time of a process's threads, summed by kind of thread, from {@code /proc/<pid>/task/<tid>/stat}: the event
 * loops, the JIT's compilers, the Pekko dispatchers. It tells a steady state (the loops' share) from one still
 * paying for its start (the compilers run for a minute or more after a load arrives).
 */
final class ThreadCpu {

    private final long pid;
    private final long ticksPerSecond;

    ThreadCpu(long pid) {
        this.pid = pid;
        this.ticksPerSecond = ProcessCpu.clockTicksPerSecond();
    }

    /** CPU so far per thread, by thread id, with the thread's kind; threads that end meanwhile drop out. */
    Map<String, Sample> sample() throws IOException {
        Map<String, Sample> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                // The name (field 2) is in parentheses and may hold spaces; fields 3.. follow the last ')'.
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
                threads.put(task.getFileName().toString(), new Sample(kindOf(name), ticks));
            }
        }
        return threads;
    }

    /**
     * The busiest kinds of thread between two samples, as percent of one core over {@code wallNanos}, e.g.
     * {@code liveshard-net=12.5 C2_CompilerThre=3.1}.
     */
    String busiest(Map<String, Sample> before, Map<String, Sample> after, long wallNanos, int count) {
        Map<String, Long> ticksByKind = new HashMap<>();
        after.forEach((tid, now) -> {
            Sample then = before.get(tid);
            long ticks = now.ticks() - (then == null ? 0 : then.ticks());
            ticksByKind.merge(now.kind(), ticks, Long::sum);
        });
        List<Map.Entry<String, Long>> kinds = new ArrayList<>(ticksByKind.entrySet());
        kinds.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return kinds.stream().limit(count).filter(kind -> kind.getValue() > 0)
                .map(kind -> String.format(Locale.ROOT, "%s=%.1f", kind.getKey(),
                        100.0 * kind.getValue() * 1_000_000_000L / ticksPerSecond / wallNanos))
                .collect(Collectors.joining(" "));
    }

    /**
     * A thread's name without its number: the kernel keeps 15 characters of it, so "liveshard-net-0" and
     * "liveshard-net-1" are both loops, and Pekko's dispatcher threads are cut to "liveshard-pekko" or similar.
     */
    static String kindOf(String name) {
        return name.replaceAll("[-#]?\\d+$", "").replace(' ', '_');
    }

    record Sample(String kind, long ticks) {
    }
}
