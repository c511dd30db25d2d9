package io.liveshard.node.artc;

import io.liveshard.node.stream.StreamDirectory;
import java.util.concurrent.Executor;

/**
 * What every artc session of the node shares.
 *
 * @param transport the node's UDP socket
 * @param streams   the stream entities, to subscribe
 * @param blocking  threads for BouncyCastle's blocking DTLS handshake
 * @param settings  {@code liveshard.artc}
 * @param metrics   per-stream counters
 */
record ArtcSessionServices(ArtcTransport transport, StreamDirectory streams, Executor blocking,
                           ArtcSettings settings, ArtcMetrics metrics) {
}
