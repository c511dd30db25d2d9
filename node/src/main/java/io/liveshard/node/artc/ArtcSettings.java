package io.liveshard.node.artc;

import com.typesafe.config.Config;
import io.liveshard.node.transcode.OpusEncoderSettings;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * artc (WebRTC egress) settings, from {@code liveshard.artc}.
 *
 * @param bindAddress      address of the shared UDP socket
 * @param port             its port (0 picks a free one, for tests)
 * @param candidates       addresses announced as host candidates; empty means this machine's IPv4 addresses
 *                         (non-loopback first) plus 127.0.0.1
 * @param consentTimeout   a session with no valid packet from its viewer for this long is closed
 * @param maxSessions      artc sessions the node serves at once; further offers get 503
 * @param opus             how AAC streams are transcoded to Opus for their artc viewers
 * @param retransmissionWindow how long a sent video packet can be retransmitted after a NACK
 * @param keyframeReplayInterval a session replays its GOP for PLI/FIR at most once per this interval
 * @param catchUpBitrate   bits per second a session sends at most while it catches up (the cached GOP of a new
 *                         viewer), so a burst does not overflow the viewer's receive buffer
 * @param catchUpBurst     bytes a session may send at once before that rate applies
 * @param warmUpHandshakes DTLS handshakes the node runs with itself at start, so that its first viewers do not
 *                         wait for code that has never run (0: none)
 */
public record ArtcSettings(String bindAddress, int port, List<String> candidates, Duration consentTimeout,
                           int maxSessions, OpusEncoderSettings opus, Duration retransmissionWindow,
                           Duration keyframeReplayInterval, long catchUpBitrate, int catchUpBurst,
                           int warmUpHandshakes) {

    /**
     * The name the per-stream AAC-to-Opus transcoder subscribes to its stream under: it feeds artc viewers, it is not
     * one, so viewer counts leave it out.
     */
    public static final String AUDIO_SUBSCRIBER = "artc-opus";


    /** Below this a catching-up viewer would fall further behind a typical live stream instead of catching up. */
    static final long MIN_CATCH_UP_BITRATE = 1_000_000;
    static final int MIN_CATCH_UP_BURST = 1500;
    /** More would only delay the node's readiness for nothing: the compiler has what it needs after a few. */
    static final int MAX_WARM_UP_HANDSHAKES = 20;

    public ArtcSettings {
        if (retransmissionWindow.isNegative() || retransmissionWindow.isZero()) {
            throw new IllegalArgumentException("liveshard.artc.retransmission-window must be positive");
        }
        if (catchUpBitrate < MIN_CATCH_UP_BITRATE) {
            throw new IllegalArgumentException("liveshard.artc.catch-up-bitrate " + catchUpBitrate
                    + " is below " + MIN_CATCH_UP_BITRATE + " bits per second");
        }
        if (warmUpHandshakes < 0 || warmUpHandshakes > MAX_WARM_UP_HANDSHAKES) {
            throw new IllegalArgumentException("liveshard.artc.warm-up-handshakes " + warmUpHandshakes
                    + " is outside 0.." + MAX_WARM_UP_HANDSHAKES);
        }
        if (catchUpBurst < MIN_CATCH_UP_BURST) {
            throw new IllegalArgumentException("liveshard.artc.catch-up-burst " + catchUpBurst + " is below "
                    + MIN_CATCH_UP_BURST + " bytes (one datagram)");
        }
    }

    public static ArtcSettings fromConfig(Config artc) {
        return new ArtcSettings(artc.getString("bind-address"), artc.getInt("port"),
                artc.getStringList("candidates"), artc.getDuration("consent-timeout"), artc.getInt("max-sessions"),
                new OpusEncoderSettings(artc.getInt("opus-bitrate"),
                        OpusEncoderSettings.Application.named(artc.getString("opus-application")),
                        artc.getInt("opus-complexity")),
                artc.getDuration("retransmission-window"),
                artc.getDuration("keyframe-replay-interval"), artc.getLong("catch-up-bitrate"),
                Math.toIntExact(artc.getBytes("catch-up-burst")), artc.getInt("warm-up-handshakes"));
    }

    /** Whether the UDP socket is bound to an IPv6 address ({@code ::}), and so takes IPv6 viewers too. */
    public boolean ipv6Socket() {
        return bindAddress.contains(":");
    }

    /** The candidates to announce, as configured: addresses or host names (names are resolved by the node). */
    public List<String> announcedAddresses() {
        if (!candidates.isEmpty()) {
            return candidates;
        }
        List<String> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        found.add(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list: loopback below still lets local players connect.
        }
        found.add("127.0.0.1");
        return found;
    }
}
