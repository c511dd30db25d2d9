package io.liveshard.node.qoe;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code liveshard.qoe}: limits on player QoE reports.
 *
 * @param maxBodyBytes        largest report body; larger ones are answered 413
 * @param reportsPerSecond    sustained reports one client address may send per second
 * @param burst               reports a client may send at once before the rate applies
 * @param maxClients          client addresses tracked for the rate limit; reports from further addresses are 429
 * @param window              how far back the JSON API's QoE percentiles and active-player counts look
 * @param maxStreams          live streams whose reports the JSON API keeps; reports for further streams reach only the
 *                            metrics (whose stream labels have their own bound)
 */
public record QoeSettings(int maxBodyBytes, double reportsPerSecond, int burst, int maxClients, Duration window,
                          int maxStreams) {

    public static QoeSettings fromConfig(Config qoe) {
        return new QoeSettings(Math.toIntExact(qoe.getBytes("max-body")), qoe.getDouble("reports-per-second"),
                qoe.getInt("burst"), qoe.getInt("max-clients"), qoe.getDuration("window"),
                qoe.getInt("max-streams"));
    }
}
