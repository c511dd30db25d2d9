package io.liveshard.node.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * librtmp as a publisher, the library OBS's RTMP output is a fork of: {@code node/src/test/c/librtmp_publish.c},
 * compiled with the machine's gcc against Debian's librtmp-dev once per test JVM, sends what a real ffmpeg encodes
 * (testsrc2 + sine, libx264 + AAC, as FLV on a pipe, in real time) with librtmp's handshake, commands and
 * {@code RTMP_Write}.
 */
public final class LibrtmpPublisher implements AutoCloseable {

    private static final String SOURCE = "src/test/c/librtmp_publish.c";
    private static Path binary;

    private final List<Process> pipeline;
    private final Path dir;
    private final Path encoderLog;
    private final Path publisherLog;

    private LibrtmpPublisher(List<Process> pipeline, Path dir, Path encoderLog, Path publisherLog) {
        this.pipeline = pipeline;
        this.dir = dir;
        this.encoderLog = encoderLog;
        this.publisherLog = publisherLog;
    }

    /** Publishes 320x240 at 30 fps with a keyframe every second, for {@code seconds}. */
    public static LibrtmpPublisher start(String rtmpUrl, int seconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("librtmp-publish");
        Path encoderLog = dir.resolve("ffmpeg.log");
        Path publisherLog = dir.resolve("librtmp_publish.log");
        ProcessBuilder encoder = new ProcessBuilder(Programs.ffmpeg(), "-hide_banner", "-nostdin",
                "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-tune", "zerolatency", "-g", "30",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", "-")
                .redirectError(encoderLog.toFile());
        ProcessBuilder publisher = new ProcessBuilder(compiled().toString(), rtmpUrl)
                .redirectErrorStream(true).redirectOutput(publisherLog.toFile());
        return new LibrtmpPublisher(ProcessBuilder.startPipeline(List.of(encoder, publisher)), dir, encoderLog,
                publisherLog);
    }

    /** Waits for the publisher (the pipeline's end) to exit; its exit code, or -1 when it did not in time. */
    public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        Process last = pipeline.get(pipeline.size() - 1);
        return last.waitFor(timeout, unit) ? last.exitValue() : -1;
    }

    /** What ffmpeg and the publisher said, for failure messages. */
    public String log() {
        try {
            return "ffmpeg:\n" + Files.readString(encoderLog) + "\nlibrtmp_publish:\n" + Files.readString(publisherLog);
        } catch (IOException e) {
            return "(logs unreadable: " + e + ")";
        }
    }

    /** Stops both programs and removes their logs. */
    @Override
    public void close() {
        for (Process process : pipeline) {
            BrowserProcesses.destroyTree(process);
        }
        BrowserProcesses.deleteTree(dir);
    }

    private static synchronized Path compiled() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        if (!Files.isRegularFile(Path.of("/usr/include/librtmp/rtmp.h"))) {
            throw new IllegalStateException("librtmp's headers are not installed: apt-get install -y librtmp-dev");
        }
        Path source = Path.of(System.getProperty("user.dir")).resolve(SOURCE);
        if (!Files.isRegularFile(source)) {
            source = Path.of(System.getProperty("user.dir")).resolve("node").resolve(SOURCE);
        }
        Path bin = Files.createTempDirectory("librtmp-publish-bin");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> BrowserProcesses.deleteTree(bin)));
        Path output = bin.resolve("librtmp_publish");
        Process gcc = new ProcessBuilder(Programs.gcc(), "-O2", "-Wall", "-o", output.toString(),
                source.toString(), "-lrtmp").redirectErrorStream(true).start();
        String said = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IllegalStateException("gcc could not build " + source + ":\n" + said);
        }
        binary = output;
        return binary;
    }
}
