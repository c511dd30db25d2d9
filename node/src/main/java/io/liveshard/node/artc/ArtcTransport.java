package io.liveshard.node.artc;

import io.liveshard.protocol.stun.IceLiteResponder;
import io.liveshard.protocol.stun.RtcPacketKind;
import io.liveshard.protocol.stun.StunException;
import io.liveshard.protocol.stun.StunLimits;
import io.liveshard.protocol.stun.StunMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one UDP socket for every artc session. A dedicated thread receives datagrams and routes them by
 * RFC 7983 demultiplexing: STUN binding requests to the session named by their USERNAME (which latches the
 * sender's address to the session), DTLS and SRTCP to the session latched to the sender's address. Anything else
 * is dropped and counted. Sends come from any thread: a datagram channel sends atomically.
 */
public final class ArtcTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ArtcTransport.class);
    /** Largest datagram read: an Ethernet MTU's worth, more than any STUN, DTLS or SRTCP packet we accept. */
    private static final int RECEIVE_BUFFER = 1500;

    private final DatagramChannel channel;
    private final Thread receiver;
    private final Map<String, ArtcSession> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, ArtcSession> byAddress = new ConcurrentHashMap<>();
    private final StunLimits stunLimits = StunLimits.defaults();
    private volatile long droppedDatagrams;

    private ArtcTransport(DatagramChannel channel) {
        this.channel = channel;
        this.receiver = new Thread(this::receiveLoop, "artc-udp-receive");
        this.receiver.setDaemon(true);
    }

    public static ArtcTransport bind(String address, int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(address, port));
        ArtcTransport transport = new ArtcTransport(channel);
        transport.receiver.start();
        log.info("artc: UDP on {}", channel.getLocalAddress());
        return transport;
    }

    public int localPort() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("artc socket has no local address", e);
        }
    }

    void register(ArtcSession session) {
        byUfrag.put(session.localUfrag(), session);
    }

    void unregister(ArtcSession session) {
        byUfrag.remove(session.localUfrag(), session);
        byAddress.values().removeIf(s -> s == session);
    }

    /** The session now answers for {@code address} (ICE latched it, or consent moved it). */
    void latch(InetSocketAddress address, ArtcSession session) {
        byAddress.values().removeIf(s -> s == session);
        byAddress.put(address, session);
    }

    Collection<ArtcSession> sessions() {
        return byUfrag.values();
    }

    long droppedDatagrams() {
        return droppedDatagrams;
    }

    void send(byte[] bytes, int offset, int length, InetSocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(bytes, offset, length), to);
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                if (from instanceof InetSocketAddress sender) {
                    route(buffer.array(), buffer.position(), sender);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // One bad datagram or session must not stop the socket for everyone else.
                log.warn("artc: dropped a datagram: {}", e.toString());
                droppedDatagrams++;
            }
        }
    }

    private void route(byte[] packet, int length, InetSocketAddress sender) {
        RtcPacketKind kind = RtcPacketKind.classify(packet, 0, length);
        if (kind == RtcPacketKind.STUN) {
            routeStun(packet, length, sender);
            return;
        }
        ArtcSession session = byAddress.get(sender);
        if (session == null || kind == RtcPacketKind.UNKNOWN) {
            droppedDatagrams++;
            return;
        }
        if (kind == RtcPacketKind.DTLS) {
            session.onDtls(packet, 0, length);
        } else {
            session.onSrtcp(packet, 0, length);
        }
    }

    private void routeStun(byte[] packet, int length, InetSocketAddress sender) {
        StunMessage message;
        try {
            message = StunMessage.decode(packet, 0, length, stunLimits);
        } catch (StunException e) {
            droppedDatagrams++;
            return;
        }
        Optional<ArtcSession> session = message.username().flatMap(IceLiteResponder::localUfragOf)
                .map(byUfrag::get);
        if (session.isEmpty()) {
            droppedDatagrams++;
            return;
        }
        session.get().onStun(message, sender);
    }

    @Override
    public void close() throws IOException {
        channel.close();
        for (ArtcSession session : byUfrag.values()) {
            session.close("node stopping");
        }
    }
}
