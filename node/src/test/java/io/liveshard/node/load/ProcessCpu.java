package io.liveshard.node.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * CPU time of a process from {@code /proc/<pid>/stat} (proc(5): fields 14 utime and 15 stime, in clock ticks), and
 * the process listening on a TCP port, found through {@code /proc/net/tcp{,6}} and the processes' socket links.
 */
final class ProcessCpu {

    private final long pid;
    private final long ticksPerSecond;

    ProcessCpu(long pid) {
        this.pid = pid;
        this.ticksPerSecond = clockTicksPerSecond();
    }

    long pid() {
        return pid;
    }

    /** utime + stime so far, in nanoseconds. */
    long cpuNanos() throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * 1_000_000_000L
                / ticksPerSecond;
    }

    /** utime + stime of a process's or thread's {@code stat} line, in clock ticks. */
    static long cpuTicks(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces; fields 3.. follow the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** {@code getconf CLK_TCK}; 100 (the value on every Linux this runs on) if getconf is missing. */
    static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            if (getconf.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // Fall through to the default.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    /** The process with a socket listening on {@code port} (any address), if this user can see it. */
    static OptionalLong listeningOn(int port) throws IOException {
        String portHex = String.format(Locale.ROOT, "%04X", port);
        java.util.Set<String> inodes = new java.util.HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] cols = line.trim().split("\\s+");
                // sl local_address rem_address st ... inode (column 9); st 0A is LISTEN.
                if (cols.length > 9 && cols[1].endsWith(":" + portHex) && cols[3].equals("0A")) {
                    inodes.add("socket:[" + cols[9] + "]");
                }
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                            }
                        } catch (IOException ignored) {
                            // The descriptor closed meanwhile.
                        }
                    }
                } catch (IOException | SecurityException ignored) {
                    // Another user's process, or gone.
                }
            }
        }
        return OptionalLong.empty();
    }
}
