package io.liveshard.node.testkit;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node in its own JVM ({@code io.liveshard.node.Main} on this test run's classpath), on free loopback ports, for
 * tests where a node must die for real (SIGKILL) or leave for real (SIGTERM). Its log goes to a file in the build
 * directory.
 */
public final class NodeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int FIRST_CHOSEN_PORT = 20_000;
    private static final int LAST_CHOSEN_PORT = 32_000;

    private final String name;
    private final Process process;
    private final Path log;
    private final int rtmpPort;
    private final int httpPort;
    private final int arteryPort;
    private final int managementPort;

    private NodeProcess(String name, Process process, Path log, int rtmpPort, int httpPort, int arteryPort,
                        int managementPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
        this.arteryPort = arteryPort;
        this.managementPort = managementPort;
    }

    /**
     * A free TCP port for a node's cluster address, chosen before the node starts so seeds can name it. It lies
     * below Linux's ephemeral range (32768-60999): a node that keeps dialling a seed not yet listening on an
     * ephemeral port can be given that very port as its own source port and connect to itself, which holds the port
     * and makes the seed fail to bind.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST_CHOSEN_PORT, LAST_CHOSEN_PORT + 1);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // Someone else's; try another.
            }
        }
        throw new IOException("no free port in " + FIRST_CHOSEN_PORT + ".." + LAST_CHOSEN_PORT);
    }

    public static String address(int arteryPort) {
        return "pekko://liveshard@127.0.0.1:" + arteryPort;
    }

    /**
     * Starts a node with its cluster address on {@code arteryPort} and {@code settings} over the defaults, and
     * waits until its HTTP API answers.
     */
    public static NodeProcess start(String name, int arteryPort, Map<String, Object> settings) throws Exception {
        int rtmp = freePort();
        int http = freePort();
        int artc;
        try (DatagramSocket socket = new DatagramSocket(0)) {
            artc = socket.getLocalPort();
        }
        Map<String, Object> all = new HashMap<>(settings);
        all.put("liveshard.rtmp.bind-address", "127.0.0.1");
        all.put("liveshard.rtmp.port", rtmp);
        all.put("liveshard.http.bind-address", "127.0.0.1");
        all.put("liveshard.http.port", http);
        all.put("liveshard.artc.bind-address", "127.0.0.1");
        all.put("liveshard.artc.port", artc);
        all.put("liveshard.artc.candidates", List.of("127.0.0.1"));
        all.put("pekko.remote.artery.canonical.port", arteryPort);
        int management = freePort();
        all.put("pekko.management.http.port", management);
        Path dir = Files.createDirectories(Path.of(System.getProperty("liveshard.buildDir", "target"), "nodes"));
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, ConfigFactory.parseMap(all).root().render(ConfigRenderOptions.concise()
                .setFormatted(true).setJson(false)));
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dconfig.file=" + conf.toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                "io.liveshard.node.Main")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        NodeProcess node = new NodeProcess(name, process, log, rtmp, http, arteryPort, management);
        node.awaitHttp();
        return node;
    }

    private void awaitHttp() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited at start:\n" + logTail());
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/api/v1/time")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not answer within " + START_TIMEOUT + ":\n" + logTail());
    }

    public int rtmpPort() {
        return rtmpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Pekko Management's HTTP port (/ready, /cluster/members). */
    public int managementPort() {
        return managementPort;
    }

    public String address() {
        return address(arteryPort);
    }

    /** SIGKILL: the node vanishes without a word, as in a crash or a pulled plug. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: the node leaves the cluster and closes its connections; waits until it has exited. */
    public boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The end of the node's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
