package io.liveshard.node.auth;

import io.liveshard.protocol.media.StreamKey;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./liveshard sign}: prints signed URLs of one stream for every protocol (RTMP, HTTP-FLV, HLS, LL-HLS,
 * artc), for operators and for scripts that hand URLs to publishers and players.
 */
public final class SignCommand {

    private static final String USAGE = """
            usage: ./liveshard sign --key KEY --app APP --stream STREAM [--expires-in SECONDS] [--uid UID]
                                    [--host HOST] [--rtmp-port PORT] [--http-port PORT] [--https] [--rand RAND]
              --key         the signing key (liveshard.auth.key or its secondary key); default: the
                            environment variable LIVESHARD_AUTH_KEY, which keeps it out of shell history
              --expires-in  seconds from now until the URLs stop working (default 3600)
              --uid         user id signed into the URLs (default 0)
              --host        host name in the URLs (default 127.0.0.1)
              --rtmp-port   RTMP port (default 1935); --http-port HTTP port (default 8080, 443 with --https)
              --https       print https:// URLs
              --rand        the random part (default: 16 random hex digits)""";
    private static final List<String> FLAGS = List.of("--https");
    private static final List<String> OPTIONS = List.of("--key", "--app", "--stream", "--expires-in", "--uid",
            "--host", "--rtmp-port", "--http-port", "--rand");

    private SignCommand() {}

    public static void main(String[] args) {
        String envKey = System.getenv("LIVESHARD_AUTH_KEY");
        if (envKey != null && !envKey.isEmpty() && !List.of(args).contains("--key")) {
            String[] withKey = Arrays.copyOf(args, args.length + 2);
            withKey[args.length] = "--key";
            withKey[args.length + 1] = envKey;
            args = withKey;
        }
        int status = run(args, System.out, System.err, Instant.now().getEpochSecond());
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Prints the URLs to {@code out}, or a problem and the usage to {@code err}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, long nowSeconds) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (FLAGS.contains(args[i])) {
                options.put(args[i], "");
            } else if (OPTIONS.contains(args[i]) && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                return usage(err, "unknown option or missing value: " + args[i]);
            }
        }
        for (String required : List.of("--key", "--app", "--stream")) {
            if (options.getOrDefault(required, "").isEmpty()) {
                return usage(err, required + " is required");
            }
        }
        Optional<String> problem = StreamKey.problem(options.get("--app"), options.get("--stream"));
        if (problem.isPresent()) {
            return usage(err, "bad stream name: " + problem.get());
        }
        boolean https = options.containsKey("--https");
        long expiresIn;
        int rtmpPort;
        int httpPort;
        try {
            expiresIn = Long.parseLong(options.getOrDefault("--expires-in", "3600"));
            rtmpPort = Integer.parseInt(options.getOrDefault("--rtmp-port", "1935"));
            httpPort = Integer.parseInt(options.getOrDefault("--http-port", https ? "443" : "8080"));
        } catch (NumberFormatException e) {
            return usage(err, "not a number: " + e.getMessage());
        }
        String rand = options.getOrDefault("--rand", randomHex());
        String uid = options.getOrDefault("--uid", "0");
        if (expiresIn < 0 || !rand.matches("[A-Za-z0-9_.]{1,64}") || !uid.matches("[A-Za-z0-9_.]{1,64}")) {
            return usage(err, "--expires-in must be >= 0, --rand and --uid 1-64 of A-Z a-z 0-9 _ .");
        }
        StreamKey stream = new StreamKey(options.get("--app"), options.get("--stream"));
        AuthKey authKey = UrlSigner.sign(options.get("--key"), stream, nowSeconds + expiresIn, rand, uid);
        String query = "?" + AuthQuery.PARAMETER + "=" + URLEncoder.encode(authKey.text(), StandardCharsets.UTF_8);
        String host = options.getOrDefault("--host", "127.0.0.1");
        String path = "/" + stream.app() + "/" + stream.stream();
        boolean defaultHttpPort = https ? httpPort == 443 : httpPort == 80;
        String http = (https ? "https://" : "http://") + host + (defaultHttpPort ? "" : ":" + httpPort);
        String artc = "artc://" + host + (defaultHttpPort ? "" : ":" + httpPort);
        out.println("rtmp     rtmp://" + host + (rtmpPort == 1935 ? "" : ":" + rtmpPort) + path + query);
        out.println("http-flv " + http + path + ".flv" + query);
        out.println("hls      " + http + path + ".m3u8" + query);
        out.println("ll-hls   " + http + path + "/ll.m3u8" + query);
        out.println("artc     " + artc + path + query);
        out.println("expires  " + Instant.ofEpochSecond(authKey.expiry()) + " (" + authKey.expiry() + ")");
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("liveshard sign: " + problem);
        err.println(USAGE);
        return 2;
    }

    private static String randomHex() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
