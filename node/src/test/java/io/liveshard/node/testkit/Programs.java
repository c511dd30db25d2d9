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

    /** gst-launch-1.0 with rtmp2sink, x264enc and avenc_aac (tools, plugins bad/ugly and libav). */
    public static String gstLaunch() {
        return require("gst-launch-1.0", "gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad "
                + "gstreamer1.0-plugins-ugly gstreamer1.0-libav");
    }

    /** VLC without its interfaces (Debian's vlc-bin, with the demuxers and muxers of vlc-plugin-base). */
    public static String cvlc() {
        return require("cvlc", "vlc-bin vlc-plugin-base");
    }

    /** librtmp's own client (rtmpdump): the RTMP library most players and tools outside ffmpeg were built on. */
    public static String rtmpdump() {
        return require("rtmpdump", "rtmpdump");
    }

    /** The C compiler, for the librtmp publisher (with Debian's librtmp-dev). */
    public static String gcc() {
        return require("gcc", "gcc librtmp-dev");
    }

    /** OBS Studio (Debian's obs-studio), run under {@link #xvfbRun()}. */
    public static String obs() {
        return require("obs", "obs-studio");
    }

    /** A virtual X server around a command (Debian's xvfb, with xauth). */
    public static String xvfbRun() {
        return require("xvfb-run", "xvfb xauth");
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
