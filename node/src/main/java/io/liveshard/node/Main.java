package io.liveshard.node;

import com.typesafe.config.ConfigFactory;

/** Starts one node with the configuration files (see {@link NodeConfig}) and runs until the process is stopped. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        LiveShardNode node = LiveShardNode.start(ConfigFactory.empty());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("liveshard: shutdown did not finish cleanly: " + e);
            }
        }, "liveshard-shutdown"));
        node.system().getWhenTerminated().toCompletableFuture().join();
    }
}
