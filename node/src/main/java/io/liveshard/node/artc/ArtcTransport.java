package io.liveshard.node.artc;

import io.liveshard.protocol.stun.IceLiteResponder;
import io.liveshard.protocol.stun.RtcPacketKind;
import io.liveshard.protocol.stun.StunException;
import io.liveshard.protocol.stun.StunLimits;
import io.liveshard.protocol.stun.StunMessage;
import io.liveshard.node.net.EventLoop;
import io.liveshard.node.net.EventLoops;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's artc port, shared by every session: one {@link ArtcSocket} per event loop, all bound to the same
 * address and port ({@code SO_REUSEPORT}, where the platform has it; else one socket). Received datagrams are
 * routed by RFC 7983 demultiplexing: STUN binding requests to the session named by their USERNAME (which latches
 * the sender's address to the session), DTLS and SRTCP to the session latched to the sender's address. Anything
 * else is dropped and counted. Each session sends through the socket of the loop it was given.
 */
public final class ArtcTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ArtcTransport.class);

    /** Set once by {@link #bind}, before the transport is handed out. */
    private List<ArtcSocket> sockets = List.of();
    private int port;
    private final AtomicInteger nextSocket = new AtomicInteger();
    private final Map<String, ArtcSession> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, ArtcSession> byAddress = new ConcurrentHashMap<>();
    private final StunLimits stunLimits = StunLimits.defaults();
    /** Datagrams the sockets could not send or receive (a full send backlog, a receive error). */
    private final LongAdder droppedDatagrams = new LongAdder();
    private final ArtcDrops drops = new ArtcDrops();

    private ArtcTransport() {
    }

    /** Binds the artc port, one socket per loop of {@code loops}, and starts receiving on them. */
    public static ArtcTransport bind(String address, int port, EventLoops loops) throws IOException {
        if (port != 0) {
            refuseIfTaken(address, port);
        }
        List<EventLoop> owners = reusePortSupported() ? loops.all() : loops.all().subList(0, 1);
        ArtcTransport transport = new ArtcTransport();
        List<DatagramChannel> channels = new ArrayList<>();
        List<CompletableFuture<ArtcSocket>> registered = new ArrayList<>();
        int boundPort = port;
        try {
            for (EventLoop loop : owners) {
                DatagramChannel channel = DatagramChannel.open();
                channels.add(channel);
                if (owners.size() > 1) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                channel.bind(new InetSocketAddress(address, boundPort));
                boundPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                channel.configureBlocking(false);
                registered.add(ArtcSocket.register(loop, channel, transport::route, transport.droppedDatagrams));
            }
            List<ArtcSocket> sockets = new ArrayList<>();
            for (CompletableFuture<ArtcSocket> socket : registered) {
                sockets.add(socket.get(10, TimeUnit.SECONDS));
            }
            transport.sockets = List.copyOf(sockets);
            transport.port = boundPort;
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            closeAll(channels);
            throw e instanceof IOException io ? io : new IOException("artc: could not open UDP port " + port, e);
        } catch (InterruptedException e) {
            closeAll(channels);
            Thread.currentThread().interrupt();
            throw new IOException("artc: interrupted while opening UDP port " + port, e);
        }
        log.info("artc: UDP on {}:{}, {} socket(s), one per event loop", address, boundPort, owners.size());
        return transport;
    }

    /**
     * SO_REUSEPORT would let a second node on this machine share a fixed port silently, each getting part of the
     * viewers' packets: a plain bind first makes a taken port an error, as it is for any other server.
     */
    private static void refuseIfTaken(String address, int port) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IOException("artc: UDP port " + port + " on " + address + " is taken: " + e.getMessage(), e);
        }
    }

    private static boolean reusePortSupported() throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            return channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        }
    }

    private static void closeAll(List<DatagramChannel> channels) {
        for (DatagramChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("artc: socket did not close: {}", e.toString());
            }
        }
    }

    public int localPort() {
        return port;
    }

    /** The socket (and with it the event loop) of a new session, round robin. */
    ArtcSocket assign() {
        return sockets.get(Math.floorMod(nextSocket.getAndIncrement(), sockets.size()));
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

    /** Datagrams the sockets could not send or receive (a full send backlog, a receive error). */
    long socketDrops() {
        return droppedDatagrams.sum();
    }

    /** Received datagrams dropped for {@code reason}. */
    long drops(ArtcDrops.Reason reason) {
        return drops.count(reason);
    }

    private void route(byte[] packet, int length, InetSocketAddress sender) {
        RtcPacketKind kind = RtcPacketKind.classify(packet, 0, length);
        if (kind == RtcPacketKind.STUN) {
            routeStun(packet, length, sender);
            return;
        }
        ArtcSession session = byAddress.get(sender);
        if (session == null || kind == RtcPacketKind.UNKNOWN) {
            drops.dropped(ArtcDrops.Reason.NOT_FOR_A_SESSION, sender);
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
            drops.dropped(ArtcDrops.Reason.MALFORMED_STUN, sender);
            return;
        }
        Optional<ArtcSession> session = message.username().flatMap(IceLiteResponder::localUfragOf)
                .map(byUfrag::get);
        if (session.isEmpty()) {
            drops.dropped(ArtcDrops.Reason.UNKNOWN_USERNAME, sender);
            return;
        }
        session.get().onStun(message, sender);
    }

    @Override
    public void close() {
        sockets.forEach(ArtcSocket::close);
        for (ArtcSession session : byUfrag.values()) {
            session.close("node stopping");
        }
    }
}
