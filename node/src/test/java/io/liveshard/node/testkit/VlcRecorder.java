package io.liveshard.node.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plays a URL with the real VLC for a few seconds and keeps what it received as an MPEG-TS file (VLC's stream
 * output remuxes the demuxed tracks without decoding), which ffprobe can then check. VLC refuses to run as root,
 * so under root it runs as nobody.
 */
public final class VlcRecorder {

    /** The recording and VLC's own words. */
    public record Recording(int exitCode, Path file, String log) {}

    private VlcRecorder() {}

    public static Recording record(String url, int seconds) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("liveshard-vlc");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = dir.resolve("received.ts");
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(Programs.cvlc(), "-I", "dummy", "--no-video-title-show", url,
                "--run-time", String.valueOf(seconds),
                "--sout", "#std{access=file,mux=ts,dst=" + file + "}", "vlc://quit"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        byte[] output;
        try (var in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("vlc " + url + " did not finish");
        }
        return new Recording(process.exitValue(), file, new String(output, StandardCharsets.UTF_8));
    }
}
