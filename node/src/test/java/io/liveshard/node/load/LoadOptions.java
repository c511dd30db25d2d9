package io.liveshard.node.load;

import java.net.InetAddress;

/**
 * What {@link LoadTool} does, from its command line.
 *
 * @param httpFlvViewers   HTTP-FLV viewers to open
 * @param rtmpViewers      RTMP viewers to open
 * @param app              the stream's application name ("live" of live/x)
 * @param stream           the stream's name ("x" of live/x)
 * @param host             the node's address: a loopback address, or another address of this machine with the pid
 * @param rtmpPort         the node's RTMP port
 * @param httpPort         the node's HTTP port
 * @param pid              the node's process id, or 0 to find the process listening on the RTMP (or HTTP) port
 * @param seconds          length of the measured window
 * @param warmupSeconds    wait between "every viewer receives" and the window
 * @param baselineSeconds  node CPU measured before any viewer connects (publisher only), 0 for none
 * @param connectSeconds   how long viewers get to connect and receive their first video frame
 * @param connectsPerBatch viewers opened at once; batches are 50 ms apart so the node's accept backlog keeps up
 */
record LoadOptions(
        int httpFlvViewers,
        int rtmpViewers,
        String app,
        String stream,
        InetAddress host,
        int rtmpPort,
        int httpPort,
        long pid,
        int seconds,
        int warmupSeconds,
        int baselineSeconds,
        int connectSeconds,
        int connectsPerBatch) {

    /** Upper bound per protocol: the tool's own loops and buffers are sized for this. */
    static final int MAX_VIEWERS = 5000;
    /** Upper bound of any phase, so that a typo cannot make the tool run for hours. */
    static final int MAX_SECONDS = 3600;

    static final String USAGE = """
            usage: ./liveshard load [--http-flv N] [--rtmp N] [--stream APP/NAME] [--seconds S]
                                    [--host 127.0.0.1] [--rtmp-port 1935] [--http-port 8080] [--pid PID]
                                    [--warmup S] [--baseline S] [--connect-timeout S] [--batch N]
              Opens N HTTP-FLV and N RTMP viewers of one stream on a running node of this machine (on loopback,
              or from the viewer namespace of ./liveshard viewer-netns with --host 10.78.0.1 --pid), waits until
              every viewer receives video, warms up, then measures for S seconds: frames and bytes per viewer,
              node CPU (from /proc/PID/stat) and delivery jitter of video frames against the stream's clock.
              Defaults: --stream live/bench --seconds 30 --warmup 5 --baseline 5 --connect-timeout 30 --batch 25.
            """;

    static LoadOptions parse(String[] args) {
        int httpFlv = 0;
        int rtmp = 0;
        String streamPath = "live/bench";
        String host = "127.0.0.1";
        int rtmpPort = 1935;
        int httpPort = 8080;
        long pid = 0;
        int seconds = 30;
        int warmup = 5;
        int baseline = 5;
        int connect = 30;
        int batch = 25;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--http-flv" -> httpFlv = intIn(arg, value, 0, MAX_VIEWERS);
                case "--rtmp" -> rtmp = intIn(arg, value, 0, MAX_VIEWERS);
                case "--stream" -> streamPath = value;
                case "--host" -> host = value;
                case "--rtmp-port" -> rtmpPort = intIn(arg, value, 1, 65535);
                case "--http-port" -> httpPort = intIn(arg, value, 1, 65535);
                case "--pid" -> pid = intIn(arg, value, 1, Integer.MAX_VALUE);
                case "--seconds" -> seconds = intIn(arg, value, 1, MAX_SECONDS);
                case "--warmup" -> warmup = intIn(arg, value, 0, MAX_SECONDS);
                case "--baseline" -> baseline = intIn(arg, value, 0, MAX_SECONDS);
                case "--connect-timeout" -> connect = intIn(arg, value, 1, MAX_SECONDS);
                case "--batch" -> batch = intIn(arg, value, 1, MAX_VIEWERS);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (httpFlv + rtmp == 0) {
            throw new IllegalArgumentException("no viewers: give --http-flv N and/or --rtmp N");
        }
        int slash = streamPath.indexOf('/');
        if (slash <= 0 || slash == streamPath.length() - 1 || streamPath.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("--stream must be APP/NAME, not " + streamPath);
        }
        InetAddress address = ToolArgs.nodeHost(host, pid);
        return new LoadOptions(httpFlv, rtmp, streamPath.substring(0, slash), streamPath.substring(slash + 1),
                address, rtmpPort, httpPort, pid, seconds, warmup, baseline, connect, batch);
    }

    private static int intIn(String option, String value, int min, int max) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, not " + value);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(option + " " + parsed + " outside " + min + ".." + max);
        }
        return parsed;
    }
}
