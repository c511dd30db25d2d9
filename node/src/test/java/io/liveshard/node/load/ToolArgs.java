package io.liveshard.node.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.OptionalLong;

/** What the load tools' command lines share: bounded numbers, the stream name, finding the node's process. */
final class ToolArgs {

    private ToolArgs() {
    }

    static int bounded(int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
        }
        return value;
    }

    /** {@code APP/NAME}, refused otherwise. */
    static String streamPath(String stream) {
        if (!stream.matches("[^/]+/[^/]+")) {
            throw new IllegalArgumentException("--stream must be APP/NAME");
        }
        return stream;
    }

    /**
     * The node's address, refused unless the node's CPU can be read from this machine's {@code /proc}: a loopback
     * address, or another address of this machine with the node's {@code pid} given (viewers in a network namespace
     * of this machine, {@code ./liveshard viewer-netns}).
     */
    static InetAddress nodeHost(String host, long pid) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host);
        }
        if (!address.isLoopbackAddress() && pid == 0) {
            throw new IllegalArgumentException("the load tool talks to a node on this machine: a loopback address"
                    + " (127.0.0.0/8), or another address of this machine with --pid, not " + address.getHostAddress());
        }
        return address;
    }

    /** Prints the problem (if any) and the usage, and exits with 2. */
    static void usageExit(String tool, IllegalArgumentException problem, String usage) {
        if (problem.getMessage() != null && !problem.getMessage().isEmpty()) {
            System.err.println(tool + ": " + problem.getMessage());
        }
        System.err.print(usage);
        System.exit(2);
    }

    /** {@code pid} when given (not 0), else the process of this user listening on {@code port}; exits if none. */
    static long nodePid(String tool, long pid, int port) throws IOException {
        if (pid != 0) {
            return pid;
        }
        OptionalLong found = ProcessCpu.listeningOn(port);
        if (found.isEmpty()) {
            System.err.println(tool + ": no process of this user listens on port " + port + "; give --pid");
            System.exit(2);
        }
        return found.getAsLong();
    }
}
