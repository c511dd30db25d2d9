package io.liveshard.node.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's own Node.js for test harnesses under {@code node/src/test/js/}: finds a harness folder, installs its
 * packages from the npm registry with {@code npm ci} (pinned by the committed {@code package-lock.json}) when they are
 * missing, and runs a script with a time limit. Missing programs fail with the Debian package to install.
 */
public final class NodeJs {

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);

    private NodeJs() {}

    /** What a script run produced: its exit code and its stdout and stderr, each as text. */
    public record Run(int exitCode, String stdout, String stderr) {

        /** The last line of stdout that looks like a JSON object, or an empty string. */
        public String lastJsonLine() {
            String found = "";
            for (String line : stdout.split("\n")) {
                if (line.trim().startsWith("{")) {
                    found = line.trim();
                }
            }
            return found;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** The harness folder {@code src/test/js/<name>}, from the node module (Maven's default) or the repository root. */
    public static Path harnessDir(String name) {
        Path workingDir = Path.of(System.getProperty("user.dir"));
        for (Path candidate : List.of(workingDir.resolve("src/test/js").resolve(name),
                workingDir.resolve("node/src/test/js").resolve(name))) {
            if (Files.isRegularFile(candidate.resolve("package-lock.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no src/test/js/" + name + "/package-lock.json under " + workingDir);
    }

    /**
     * Runs {@code npm ci --no-audit --no-fund} in {@code dir} unless {@code installed} (relative to it) already
     * exists; fails with npm's output when npm is missing, fails, or takes longer than three minutes.
     */
    public static void ensureInstalled(Path dir, Path installed) throws IOException, InterruptedException {
        if (Files.exists(dir.resolve(installed))) {
            return;
        }
        String npm = require("npm", "npm");
        Path log = Files.createTempFile("npm-ci-" + dir.getFileName(), ".log");
        try {
            Process process = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                destroy(process);
                throw new IllegalStateException("npm ci in " + dir + " did not finish within " + NPM_TIMEOUT
                        + "; output:\n" + Files.readString(log));
            }
            if (process.exitValue() != 0 || !Files.exists(dir.resolve(installed))) {
                throw new IllegalStateException("npm ci in " + dir + " failed (exit " + process.exitValue() + ", "
                        + installed + (Files.exists(dir.resolve(installed)) ? " present" : " missing")
                        + "); output:\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Runs {@code node <script> <args...>} in {@code dir}, waiting at most {@code timeout}; a script still running
     * then is killed (with its children) and the failure carries what it printed so far.
     */
    public static Run run(Path dir, Duration timeout, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(require("node", "nodejs"), script));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("node-" + dir.getFileName(), ".out");
        Path err = Files.createTempFile("node-" + dir.getFileName(), ".err");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroy(process);
                throw new AssertionError(String.join(" ", command) + " did not exit within " + timeout
                        + "\nstdout:\n" + Files.readString(out, StandardCharsets.UTF_8)
                        + "\nstderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void destroy(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    private static String require(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(program + " is not installed: apt-get install -y " + debianPackage);
    }
}
