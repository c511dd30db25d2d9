package io.liveshard.node.limits;

import com.typesafe.config.Config;

/**
 * {@code liveshard.limits}: 0 means no limit.
 *
 * @param maxPublishers       publishers on this node at once
 * @param maxViewers          viewers on this node at once (RTMP, HTTP-FLV, artc; HLS players are stateless requests)
 * @param maxViewersPerStream viewers of one stream on this node at once
 * @param maxPerIp            RTMP connections, HTTP-FLV viewers and artc sessions from one address at once
 * @param newPerIpPerSecond   new ones from one address per second (a burst of twice this is allowed)
 */
public record LimitSettings(int maxPublishers, int maxViewers, int maxViewersPerStream, int maxPerIp,
                            int newPerIpPerSecond) {

    public static LimitSettings fromConfig(Config limits) {
        return new LimitSettings(limits.getInt("max-publishers"), limits.getInt("max-viewers"),
                limits.getInt("max-viewers-per-stream"), limits.getInt("max-connections-per-ip"),
                limits.getInt("new-connections-per-ip-per-second"));
    }

    public static LimitSettings none() {
        return new LimitSettings(0, 0, 0, 0, 0);
    }
}
