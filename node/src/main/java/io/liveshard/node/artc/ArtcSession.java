package io.liveshard.node.artc;

import io.liveshard.node.metrics.LatencyRecorder;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.node.stream.SubscriberQueue;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.dtls.DtlsCertificate;
import io.liveshard.protocol.dtls.DtlsDatagramTransport;
import io.liveshard.protocol.dtls.DtlsFingerprint;
import io.liveshard.protocol.dtls.DtlsSrtpConfig;
import io.liveshard.protocol.dtls.DtlsSrtpKeys;
import io.liveshard.protocol.dtls.DtlsSrtpServer;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import io.liveshard.protocol.rtcp.RtcpCompoundParser;
import io.liveshard.protocol.rtcp.RtcpException;
import io.liveshard.protocol.rtcp.RtcpNtpTime;
import io.liveshard.protocol.rtcp.RtcpWriter;
import io.liveshard.protocol.rtp.RtpException;
import io.liveshard.protocol.rtp.RtpPacketWriter;
import io.liveshard.protocol.rtp.RtpPacketizedFrame;
import io.liveshard.protocol.rtp.RtpTimestamps;
import io.liveshard.protocol.srtp.SrtpContext;
import io.liveshard.protocol.srtp.SrtpException;
import io.liveshard.protocol.stun.IceLiteOutcome;
import io.liveshard.protocol.stun.IceLiteResponder;
import io.liveshard.protocol.stun.StunLimits;
import io.liveshard.protocol.stun.StunMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One artc viewer: ICE-lite answers on the shared socket, then a DTLS-SRTP handshake, then the stream's H.264
 * frames as SRTP to the latched address. The handshake is blocking (BouncyCastle's API) and runs on the blocking
 * executor, never on an actor or the media dispatcher; media is drained from the viewer's own queue on the media
 * executor, one drain at a time.
 */
final class ArtcSession {

    private static final Logger log = LoggerFactory.getLogger(ArtcSession.class);
    private static final int DATAGRAM = 1500;
    /** RTCP canonical name of every artc sender of this node (RFC 3550 section 6.5.1). */
    private static final byte[] CNAME = "liveshard".getBytes(StandardCharsets.US_ASCII);
    /** Room after an RTCP packet for the SRTCP index and tag. */
    private static final int SRTCP_ROOM = 32;
    /** How often a Sender Report goes out: RFC 3550's 5 s minimum interval is for large groups; one viewer is cheap. */
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

    private final String id;
    private final StreamKey key;
    private final String localUfrag;
    private final IceLiteResponder responder;
    private final int videoPayloadType;
    private final ArtcTransport transport;
    private final StreamDirectory streams;
    private final Executor media;
    private final Executor blocking;
    private final DtlsSrtpServer dtls;
    private final DtlsDatagramTransport dtlsTransport;
    private final LatencyRecorder latency;
    private final AtomicBoolean handshakeStarted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final SubscriberQueue queue;
    private final List<MediaFrame> batch = new ArrayList<>();
    private final ArtcStreamPacketizer packetizer;
    private final RtpPacketWriter writer;
    private final byte[] packet = new byte[DATAGRAM];
    private final long createdNanos = System.nanoTime();

    private volatile InetSocketAddress remote;
    private volatile long lastValidNanos = System.nanoTime();
    private volatile SrtpContext srtp;
    private volatile SrtpContext srtcpIn;
    private volatile boolean playing;
    private long sentPackets;
    private long lastFrameSentNanos;
    private long lastReportNanos;
    private final byte[] report = new byte[RtcpWriter.SENDER_REPORT_SIZE
            + RtcpWriter.sourceDescriptionSize(CNAME.length) + SRTCP_ROOM];
    private final ArtcReceiverStats receiverStats = new ArtcReceiverStats();

    ArtcSession(String id, StreamKey key, String localUfrag, String localPassword, String remoteUfrag,
                long videoSsrc, int videoPayloadType, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint,
                ArtcStreamPacketizer packetizer, ArtcTransport transport, StreamDirectory streams, Executor media,
                Executor blocking, LatencyRecorder latency, SecureRandom random) {
        this.packetizer = packetizer;
        this.id = id;
        this.key = key;
        this.localUfrag = localUfrag;
        this.responder = new IceLiteResponder(localUfrag, localPassword, Optional.of(remoteUfrag),
                StunLimits.defaults());
        this.videoPayloadType = videoPayloadType;
        this.transport = transport;
        this.streams = streams;
        this.media = media;
        this.blocking = blocking;
        this.latency = latency;
        this.dtls = new DtlsSrtpServer(certificate, remoteFingerprint, DtlsSrtpConfig.DEFAULT, random);
        this.dtlsTransport = new DtlsDatagramTransport((bytes, offset, length) -> {
            InetSocketAddress to = remote;
            if (to != null) {
                transport.send(bytes, offset, length, to);
            }
        });
        this.queue = new SubscriberQueue("artc-" + id, streams.settings().slowConsumer(), this::scheduleDrain);
        this.writer = new RtpPacketWriter(videoSsrc, videoPayloadType, random.nextInt(0x10000),
                random.nextInt() & 0xFFFFFFFFL);
    }

    String id() {
        return id;
    }

    String localUfrag() {
        return localUfrag;
    }

    StreamKey key() {
        return key;
    }

    boolean playing() {
        return playing;
    }

    /** Silent since this many nanoseconds: no valid STUN, DTLS or SRTCP from the viewer. */
    long silentNanos(long now) {
        return now - lastValidNanos;
    }

    long ageNanos(long now) {
        return now - createdNanos;
    }

    /** A binding request for this session, on the receive thread. */
    void onStun(StunMessage request, InetSocketAddress sender) {
        IceLiteOutcome outcome = responder.respond(request, sender);
        try {
            if (outcome instanceof IceLiteOutcome.Success success) {
                lastValidNanos = System.nanoTime();
                if (!sender.equals(remote)) {
                    remote = sender;
                    transport.latch(sender, this);
                }
                transport.send(success.response(), 0, success.response().length, sender);
                if (handshakeStarted.compareAndSet(false, true)) {
                    blocking.execute(this::handshake);
                }
            } else if (outcome instanceof IceLiteOutcome.ErrorResponse error) {
                transport.send(error.response(), 0, error.response().length, sender);
                log.info("artc {} {}: STUN refused from {}: {}", key, id, sender, error.error());
            }
        } catch (IOException e) {
            log.warn("artc {} {}: could not answer STUN: {}", key, id, e.toString());
        }
    }

    void onDtls(byte[] packet, int offset, int length) {
        lastValidNanos = System.nanoTime();
        dtlsTransport.offer(packet, offset, length);
    }

    /**
     * SRTCP from the viewer, on the receive thread: receiver reports and feedback. Only packets that authenticate
     * keep the session alive. Answering NACK and PLI is the next step; they are counted meanwhile.
     */
    void onSrtcp(byte[] packet, int offset, int length) {
        SrtpContext in = srtcpIn;
        if (in == null) {
            return;
        }
        try {
            int plain = in.unprotectRtcp(packet, offset, length);
            lastValidNanos = System.nanoTime();
            receiverStats.record(RtcpCompoundParser.parse(packet, offset, plain),
                    RtcpNtpTime.compact(RtcpNtpTime.fromUnixMillis(System.currentTimeMillis())));
        } catch (SrtpException | RtcpException e) {
            receiverStats.refused();
        }
    }

    private void handshake() {
        try {
            DtlsSrtpKeys keys = dtls.accept(dtlsTransport);
            srtcpIn = keys.newReceivingContext();
            srtp = keys.newSendingContext();
            log.info("artc {} {}: DTLS-SRTP up with {}", key, id, remote);
            streams.subscribe(key, queue, "artc", Duration.ZERO).whenComplete((reply, failure) -> {
                if (failure == null && reply instanceof StreamEntity.Subscribed) {
                    playing = true;
                    scheduleDrain();
                } else {
                    close("stream " + key + " is not live");
                }
            });
            byte[] discard = new byte[DATAGRAM];
            while (!closed.get()) {
                // Keeps BouncyCastle answering retransmitted client flights and noticing close_notify.
                if (dtls.receive(discard, 0, discard.length, 1000) < 0 && closed.get()) {
                    break;
                }
            }
        } catch (Exception e) {
            if (!closed.get()) {
                log.warn("artc {} {}: DTLS failed with {}: {}", key, id, remote, e.getMessage());
                close("DTLS failed");
            }
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            media.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        synchronized (batch) {
            if (!playing || closed.get()) {
                return;
            }
            while (true) {
                batch.clear();
                if (queue.drainTo(batch) == 0) {
                    break;
                }
                long now = System.nanoTime();
                for (MediaFrame frame : batch) {
                    send(frame);
                    latency.sent(frame, now);
                }
                if (now - lastReportNanos >= REPORT_INTERVAL_NANOS && sentPackets > 0) {
                    sendReport(now);
                }
            }
            SubscriberQueue.EndReason ended = queue.endReason();
            if (ended != null) {
                close("stream ended (" + ended + ")");
            }
        }
    }

    private void send(MediaFrame frame) {
        if (!frame.isVideo() || frame.codec() != MediaCodec.H264) {
            return;
        }
        try {
            if (frame.config()) {
                packetizer.configure(frame);
                return;
            }
            RtpPacketizedFrame packets = packetizer.packetize(frame);
            lastFrameSentNanos = System.nanoTime();
            InetSocketAddress to = remote;
            for (int i = 0; i < packets.packetCount(); i++) {
                int length = writer.write(packets, i, packet, 0);
                length = srtp.protectRtp(packet, 0, length);
                transport.send(packet, 0, length, to);
                sentPackets++;
            }
        } catch (RtpException | CodecFormatException | SrtpException | IOException e) {
            log.warn("artc {} {}: skipped a frame: {}", key, id, e.getMessage());
        }
    }

    /** A Sender Report with the RTP time of now, so the viewer can measure the round trip and sync its clock. */
    private void sendReport(long now) {
        lastReportNanos = now;
        long rtpNow = RtpTimestamps.advance(writer.lastTimestamp(), now - lastFrameSentNanos,
                RtpTimestamps.H264_CLOCK_RATE);
        int length = RtcpWriter.writeSenderReport(report, 0, writer.ssrc(),
                RtcpNtpTime.fromUnixMillis(System.currentTimeMillis()), rtpNow, writer.packetCount(),
                writer.octetCount());
        length += RtcpWriter.writeSourceDescription(report, length, writer.ssrc(), CNAME);
        try {
            length = srtp.protectRtcp(report, 0, length);
            transport.send(report, 0, length, remote);
        } catch (SrtpException | IOException e) {
            log.debug("artc {} {}: no sender report: {}", key, id, e.getMessage());
        }
    }

    void close(String why) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("artc {} {}: closed, {} ({} packets sent; viewer reported {})", key, id, why, sentPackets,
                receiverStats);
        transport.unregister(this);
        queue.cancel();
        streams.unsubscribe(key, queue);
        dtlsTransport.close();
        try {
            dtls.close();
        } catch (IOException | RuntimeException e) {
            // The association is going away either way.
        }
    }
}
