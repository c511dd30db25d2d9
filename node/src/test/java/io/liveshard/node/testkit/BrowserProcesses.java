package io.liveshard.node.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What every driven browser needs around its process: stopping its whole tree, removing its files, its log's end. */
final class BrowserProcesses {

    private static final int LOG_TAIL_CHARS = 4000;

    private BrowserProcesses() {}

    /**
     * A browser's own folder, deleted on close: its profile, its scratch files (give it {@code tmp} as $TMPDIR) and
     * its log.
     */
    record WorkDir(Path root, Path profile, Path tmp, Path log) {

        /** Checks that {@code executable} is installed (else names the Debian package) and makes the folders. */
        static WorkDir create(Path executable, String debianPackage, String logName) throws IOException {
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException(executable + " is not installed: apt-get install -y " + debianPackage);
            }
            Path root = Files.createTempDirectory(debianPackage);
            return new WorkDir(root, Files.createDirectory(root.resolve("profile")),
                    Files.createDirectory(root.resolve("tmp")), root.resolve(logName));
        }
    }

    /**
     * Writes the PNG of a screenshot reply (both protocols answer {@code {"result":{"data":"<base64>"}}}) to
     * {@code file}, creating its folder.
     */
    static void saveScreenshot(String reply, Path file, String browserName) throws IOException {
        String data = BrowserJson.member(BrowserJson.member(reply, "result"), "data");
        if (data == null) {
            throw new IllegalStateException(browserName + " sent no screenshot: " + reply);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(BrowserJson.unquote(data)));
    }

    /** Asks the process and everything it started to exit; kills what is still running after 5 s. */
    static void destroyTree(Process process) {
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle handle : all) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            }
        }
    }

    static void deleteTree(Path dir) {
        // A browser helper that is still exiting can create a file while the tree is walked: try a few times.
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException | UncheckedIOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The last few kilobytes of a browser's log, without the lines {@code noise} matches. */
    static String tail(Path log, Predicate<String> noise) {
        try (Stream<String> lines = Files.lines(log)) {
            String text = lines.filter(noise.negate()).collect(Collectors.joining("\n"));
            return text.length() <= LOG_TAIL_CHARS ? text : "…" + text.substring(text.length() - LOG_TAIL_CHARS);
        } catch (IOException | UncheckedIOException e) {
            return "(no browser log: " + e + ")";
        }
    }
}
