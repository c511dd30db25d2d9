package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cluster set-ups operators start by hand agree with themselves: the Docker Compose file publishes each node's
 * ports as its configuration sets them (the artc UDP port must be the same inside and out, since answers announce
 * it), seeds name real services, and the local three-JVM cluster's nodes do not collide.
 */
class ClusterConfigFilesTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern SERVICE = Pattern.compile("^  (node\\d):\\s*$");
    private static final Pattern PORT = Pattern.compile("^\\s+- \"(\\d+):(\\d+)(/udp)?\"\\s*$");

    @Test
    void composePublishesEveryPortTheNodesListenOn() throws Exception {
        Map<String, List<String>> published = composePorts();
        assertEquals(Set.of("node1", "node2", "node3"), published.keySet());
        for (Map.Entry<String, List<String>> service : published.entrySet()) {
            Config node = nodeConfig(ROOT.resolve("docker/" + service.getKey() + ".conf"));
            assertEquals(service.getKey(), node.getString("pekko.remote.artery.canonical.hostname"));
            assertEquals(Set.copyOf(service.getValue()), Set.of(
                    node.getInt("liveshard.rtmp.port") + ":" + node.getInt("liveshard.rtmp.port"),
                    node.getInt("liveshard.http.port") + ":" + node.getInt("liveshard.http.port"),
                    node.getInt("liveshard.artc.port") + ":" + node.getInt("liveshard.artc.port") + "/udp",
                    node.getInt("pekko.management.http.port") + ":" + node.getInt("pekko.management.http.port")),
                    service.getKey() + " publishes " + service.getValue());
            for (String seed : node.getStringList("pekko.cluster.seed-nodes")) {
                Matcher address = Pattern.compile("pekko://liveshard@(node\\d):(\\d+)").matcher(seed);
                assertTrue(address.matches(), seed);
                assertTrue(published.containsKey(address.group(1)), seed + " names no service");
                assertEquals(nodeConfig(ROOT.resolve("docker/" + address.group(1) + ".conf"))
                        .getInt("pekko.remote.artery.canonical.port"), Integer.parseInt(address.group(2)), seed);
            }
        }
    }

    @Test
    void theLocalClusterNodesUseDistinctPortsAndSeedEachOther() throws Exception {
        Set<Integer> ports = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        List<Config> nodes = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            Config node = nodeConfig(ROOT.resolve("config/cluster/node" + n + ".conf"));
            nodes.add(node);
            for (String path : List.of("liveshard.rtmp.port", "liveshard.http.port", "liveshard.artc.port",
                    "pekko.remote.artery.canonical.port", "pekko.management.http.port")) {
                assertTrue(ports.add(node.getInt(path)), "node" + n + " reuses port " + node.getInt(path));
            }
            addresses.add("pekko://liveshard@" + node.getString("pekko.remote.artery.canonical.hostname") + ":"
                    + node.getInt("pekko.remote.artery.canonical.port"));
        }
        for (Config node : nodes) {
            assertTrue(addresses.containsAll(node.getStringList("pekko.cluster.seed-nodes")),
                    node.getStringList("pekko.cluster.seed-nodes") + " are not all cluster nodes " + addresses);
        }
    }

    /** A node file layered over the defaults, as {@code -Dconfig.file} does. */
    private static Config nodeConfig(Path file) {
        return ConfigFactory.parseFile(file.toFile())
                .withFallback(ConfigFactory.parseFile(ROOT.resolve("config/liveshard.conf").toFile())).resolve();
    }

    /** Each service's published ports, {@code host:container[/udp]}, from the compose file. */
    private static Map<String, List<String>> composePorts() throws Exception {
        Map<String, List<String>> ports = new LinkedHashMap<>();
        String service = null;
        for (String line : Files.readAllLines(ROOT.resolve("docker/docker-compose.yml"))) {
            Matcher name = SERVICE.matcher(line);
            if (name.matches()) {
                service = name.group(1);
                ports.put(service, new ArrayList<>());
                continue;
            }
            Matcher port = PORT.matcher(line);
            if (port.matches() && service != null) {
                ports.get(service).add(port.group(1) + ":" + port.group(2) + (port.group(3) == null ? "" : "/udp"));
            }
        }
        return ports;
    }
}
