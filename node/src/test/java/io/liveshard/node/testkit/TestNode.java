package io.liveshard.node.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.liveshard.node.LiveShardNode;
import java.util.List;
import java.util.Map;

/** Starts a node inside the test JVM on free ports (RTMP, HTTP, cluster, management), bound to 127.0.0.1. */
public final class TestNode {

    private TestNode() {}

    public static LiveShardNode start() throws Exception {
        return start(Map.of());
    }

    /** @param settings extra config paths and values, e.g. {@code liveshard.stream.publisher-grace -> "1s"} */
    public static LiveShardNode start(Map<String, Object> settings) throws Exception {
        Config base = ConfigFactory.parseMap(Map.of(
                "liveshard.rtmp.bind-address", "127.0.0.1",
                "liveshard.rtmp.port", 0,
                "liveshard.http.bind-address", "127.0.0.1",
                "liveshard.http.port", 0,
                "pekko.remote.artery.canonical.port", 0,
                "pekko.management.http.port", 0,
                "liveshard.artc.bind-address", "127.0.0.1",
                "liveshard.artc.port", 0,
                "liveshard.artc.candidates", List.of("127.0.0.1"),
                "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off"));
        return LiveShardNode.start(ConfigFactory.parseMap(settings).withFallback(base));
    }
}
