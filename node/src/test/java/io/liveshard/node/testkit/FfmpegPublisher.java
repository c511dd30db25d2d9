package io.liveshard.node.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code ffmpeg} publishing a generated test pattern (testsrc2 + a sine tone, libx264 + AAC) over RTMP, in
 * real time. Its output goes to a log file that failing tests print.
 */
public final class FfmpegPublisher implements AutoCloseable {

    private final Process process;
    private final Path logFile;

    private FfmpegPublisher(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
    }

    /** Publishes 640x360 at 30 fps with a keyframe every {@code gopFrames} frames, for {@code seconds}. */
    public static FfmpegPublisher start(String rtmpUrl, int seconds, int gopFrames) throws IOException {
        return start(rtmpUrl, seconds, List.of("-preset", "veryfast", "-tune", "zerolatency", "-g",
                String.valueOf(gopFrames)));
    }

    /** Publishes with extra x264 options (e.g. B-frames), mono audio (the sine's own). */
    public static FfmpegPublisher start(String rtmpUrl, int seconds, List<String> videoOptions) throws IOException {
        return start(rtmpUrl, seconds, videoOptions, 1);
    }

    /** Publishes 640x360 at 30 fps with a keyframe every {@code gopFrames} frames and AAC of {@code audioChannels}. */
    public static FfmpegPublisher start(String rtmpUrl, int seconds, int gopFrames, int audioChannels)
            throws IOException {
        return start(rtmpUrl, seconds, List.of("-preset", "veryfast", "-tune", "zerolatency", "-g",
                String.valueOf(gopFrames)), audioChannels);
    }

    private static FfmpegPublisher start(String rtmpUrl, int seconds, List<String> videoOptions, int audioChannels)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Programs.ffmpeg(), "-hide_banner", "-nostdin",
                "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds),
                "-c:v", "libx264", "-pix_fmt", "yuv420p"));
        command.addAll(videoOptions);
        command.addAll(List.of("-ac", String.valueOf(audioChannels), "-c:a", "aac", "-b:a", "64k", "-f", "flv",
                rtmpUrl));
        Path log = Files.createTempFile("ffmpeg-publish", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new FfmpegPublisher(process, log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for ffmpeg to finish on its own and returns its exit code. */
    public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            throw new IllegalStateException("ffmpeg still running after " + timeout + " " + unit + "; log:\n" + log());
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
