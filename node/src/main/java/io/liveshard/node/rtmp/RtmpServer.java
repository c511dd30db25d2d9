package io.liveshard.node.rtmp;

import io.liveshard.node.auth.SignedUrlAuth;
import io.liveshard.node.hooks.Webhooks;
import io.liveshard.node.limits.ConnectionLimits;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.net.EventLoops;
import io.liveshard.node.net.TcpConnection;
import io.liveshard.node.net.TcpConnectionStage;
import io.liveshard.node.net.TcpListener;
import io.liveshard.node.stream.StreamDirectory;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP port: every accepted TCP connection runs its own {@link RtmpConnectionStage} on the media dispatcher.
 */
public final class RtmpServer {

    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);
    private static final String MEDIA_DISPATCHER = "liveshard.media-dispatcher";

    private final RtmpSettings settings;
    private final StreamDirectory streams;
    private final NodeMetrics metrics;
    private final SignedUrlAuth auth;
    private final Webhooks hooks;
    private final ConnectionLimits connections;
    private final AtomicLong connectionIds = new AtomicLong();

    public RtmpServer(RtmpSettings settings, StreamDirectory streams, NodeMetrics metrics, SignedUrlAuth auth,
                      Webhooks hooks, ConnectionLimits connections) {
        this.connections = connections;
        this.settings = settings;
        this.hooks = hooks;
        this.auth = auth;
        this.streams = streams;
        this.metrics = metrics;
    }

    /**
     * Listens on the RTMP port. Each connection's session runs in Pekko Streams on the media dispatcher; its socket
     * belongs to one of {@code loops}, which also writes its player's media.
     */
    public CompletionStage<TcpListener> bind(ActorSystem<?> system, EventLoops loops) {
        Materializer materializer = Materializer.matFromSystem(system);
        // Connections are bounded per address (liveshard.limits), as before, not in total.
        return TcpListener.bind(loops, new InetSocketAddress(settings.bindAddress(), settings.port()), 0,
                connection -> start(connection, materializer));
    }

    private void start(TcpConnection connection, Materializer materializer) {
        InetSocketAddress remote = connection.remoteAddress();
        String client = remote.getAddress().getHostAddress() + ":" + remote.getPort();
        long id = connectionIds.incrementAndGet();
        String ip = remote.getAddress().getHostAddress();
        Optional<String> tooMany = connections.tryOpen(ip);
        if (tooMany.isPresent()) {
            // Before the handshake there is no RTMP status to send: the connection is closed at once.
            metrics.refused("rtmp", "connection-limit");
            log.warn("rtmp: connection {} from {} refused, {}", id, client, tooMany.get());
            connection.abort();
            return;
        }
        log.debug("rtmp: connection {} from {}", id, client);
        Flow.fromGraph(new TcpConnectionStage(connection))
                .join(Flow.fromGraph(new RtmpConnectionStage(settings, streams, metrics, auth, hooks, client, id,
                                connection))
                        .watchTermination((notUsed, done) -> done.whenComplete(
                                (ended, failure) -> connections.close(ip))))
                .withAttributes(ActorAttributes.dispatcher(MEDIA_DISPATCHER))
                .run(materializer);
    }
}
