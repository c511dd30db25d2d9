package io.liveshard.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Loads a node's configuration in layers, highest first: explicit overrides (tests, command line), the operator's
 * file ({@code -Dconfig.file}, or {@code application.conf} on the class path), LiveShard's defaults
 * ({@code liveshard.conf} from the top-level {@code config/} folder, packaged into the jar), then the libraries' own
 * {@code reference.conf}. The defaults are layered explicitly rather than shipped as a {@code reference.conf} because
 * they override Pekko's own defaults, and the merge order of several {@code reference.conf} files is not defined.
 */
public final class NodeConfig {

    private NodeConfig() {}

    public static Config load(Config overrides) {
        ConfigFactory.invalidateCaches();
        return overrides
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(ConfigFactory.parseResources(NodeConfig.class.getClassLoader(), "liveshard.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }
}
