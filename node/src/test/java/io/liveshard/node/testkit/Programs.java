package io.liveshard.node.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the real programs the tests drive, failing with the Debian package to install when one is missing. */
public final class Programs {

    private Programs() {}

    public static String ffmpeg() {
        return require("ffmpeg", "ffmpeg");
    }

    public static String ffprobe() {
        return require("ffprobe", "ffmpeg");
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
