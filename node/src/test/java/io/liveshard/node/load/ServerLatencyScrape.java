package io.liveshard.node.load;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's own server-added latency histogram ({@code liveshard_server_latency_seconds} at {@code /metrics}) for
 * one stream and protocol, read at the start and at the end of the measured window: the difference is what the
 * node measured for the frames of the window, ingest to socket hand-off (estimated from sampled batches for the
 * viewers beyond a stream's first ones, {@code liveshard.metrics.server-latency}).
 *
 * @param buckets cumulative counts by upper bound in seconds ({@code +Inf} as {@link Double#POSITIVE_INFINITY})
 */
record ServerLatencyScrape(Map<Double, Double> buckets) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static ServerLatencyScrape read(String host, int httpPort, String app, String stream, String protocol) {
        Map<Double, Double> buckets = new TreeMap<>();
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            String prefix = "liveshard_server_latency_seconds_bucket{app=\"" + app + "\",protocol=\"" + protocol
                    + "\",stream=\"" + stream + "\",le=\"";
            for (String line : text.split("\n")) {
                if (line.startsWith(prefix)) {
                    String rest = line.substring(prefix.length());
                    String bound = rest.substring(0, rest.indexOf('"'));
                    double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                    buckets.put(upper, Double.parseDouble(rest.substring(rest.indexOf("} ") + 2).trim()));
                }
            }
        } catch (Exception e) {
            System.out.println("load: could not read the node's /metrics: " + e);
        }
        return new ServerLatencyScrape(buckets);
    }

    /** Upper bound (ms) of the bucket holding quantile {@code q} of the frames between {@code earlier} and this. */
    String quantileSince(ServerLatencyScrape earlier, double q) {
        double total = count(this) - count(earlier);
        if (total <= 0) {
            return "NaN";
        }
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (withinSince(earlier, bucket) >= q * total) {
                return bucket.getKey().isInfinite() ? "inf"
                        : String.format(Locale.ROOT, "%.1f", bucket.getKey() * 1000);
            }
        }
        return "inf";
    }

    /**
     * The share of the frames between {@code earlier} and this that took at most each bucket's bound, up to 10 ms
     * ({@code le_5ms=99.4%}): "p99 under 5 ms" is the share at 5 ms above 99 %, which the bucket that holds the
     * quantile ({@link #quantileSince}) cannot tell from a p99 of exactly 5 ms.
     */
    String sharesWithinSince(ServerLatencyScrape earlier) {
        double total = count(this) - count(earlier);
        StringBuilder shares = new StringBuilder();
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (total <= 0 || bucket.getKey() > 0.010) {
                break;
            }
            shares.append(shares.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "le_%sms=%.2f%%",
                    new BigDecimal(bucket.getKey() * 1000).stripTrailingZeros().toPlainString(),
                    100 * withinSince(earlier, bucket) / total));
        }
        return shares.toString();
    }

    /** Frames between {@code earlier} and this within {@code bucket}'s bound. */
    private double withinSince(ServerLatencyScrape earlier, Map.Entry<Double, Double> bucket) {
        return bucket.getValue() - earlier.buckets.getOrDefault(bucket.getKey(), 0.0);
    }

    long framesSince(ServerLatencyScrape earlier) {
        return Math.round(count(this) - count(earlier));
    }

    private static double count(ServerLatencyScrape scrape) {
        return scrape.buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    }
}
