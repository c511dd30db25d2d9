package io.liveshard.node.rtmp;

import com.typesafe.config.Config;
import io.liveshard.protocol.rtmp.RtmpLimits;
import java.time.Duration;

/**
 * The RTMP server's settings, from {@code liveshard.rtmp}.
 *
 * @param bindAddress          address to listen on
 * @param port                 port to listen on (0 picks a free one, for tests)
 * @param handshakeTimeout     time allowed from accept to a finished connect command
 * @param idleTimeout          a publisher, or a client neither publishing nor playing, silent this long is closed
 * @param playWaitForPublisher how long a player of a stream nobody publishes waits for a publisher
 * @param limits               protocol limits handed to the session
 * @param latencyStamps        insert LiveShard's SEI latency stamp into every H.264/H.265 access unit at ingest
 */
public record RtmpSettings(
        String bindAddress,
        int port,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration playWaitForPublisher,
        RtmpLimits limits,
        boolean latencyStamps) {

    /** Reads the {@code liveshard.rtmp} section. */
    public static RtmpSettings fromConfig(Config rtmp) {
        return new RtmpSettings(
                rtmp.getString("bind-address"),
                rtmp.getInt("port"),
                rtmp.getDuration("handshake-timeout"),
                rtmp.getDuration("idle-timeout"),
                rtmp.getDuration("play-wait-for-publisher"),
                new RtmpLimits(
                        Math.toIntExact(rtmp.getBytes("max-chunk-size")),
                        Math.toIntExact(rtmp.getBytes("max-message-size")),
                        rtmp.getInt("max-amf-depth"),
                        rtmp.getInt("max-chunk-streams"),
                        rtmp.getInt("out-chunk-size"),
                        rtmp.getInt("window-ack-size")),
                rtmp.getBoolean("latency-stamps"));
    }
}
