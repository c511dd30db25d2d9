package io.liveshard.node.load;

import java.io.IOException;
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
