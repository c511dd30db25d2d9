package io.liveshard.node.testkit;

/** Reads samples out of the node's {@code /metrics} page (Prometheus text format). */
public final class MetricsText {

    private MetricsText() {
    }

    /** The sum of the samples of the lines starting with {@code prefix}; 0 when none does. */
    public static double sum(String metrics, String prefix) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
