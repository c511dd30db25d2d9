package io.liveshard.node.artc;

import io.liveshard.node.metrics.LatencyRecorder;
import io.liveshard.node.net.EventLoop;
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
import io.liveshard.protocol.rtcp.RtcpPacket;
import io.liveshard.protocol.rtcp.RtcpWriter;
import io.liveshard.protocol.rtp.RtpException;
import io.liveshard.protocol.rtp.RtpPacketWriter;
import io.liveshard.protocol.rtp.RtpPacketizedFrame;
import io.liveshard.protocol.rtp.RtpRetransmissionHistoryConfig;
import io.liveshard.protocol.rtp.RtpRtxWriter;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One artc viewer: ICE-lite answers on the shared socket, then a DTLS-SRTP handshake, then the stream's H.264
 * frames and its Opus (from the stream's shared {@link ArtcAudioFeed}) as SRTP to the latched address, with
 * Sender Reports for both, and NACK and PLI/FIR answered by {@link ArtcLossRecovery}. The handshake is blocking
 * (BouncyCastle's API) and runs on the blocking executor, never on an actor or an event loop. Media is sent by the
 * event loop of the session's {@link ArtcSocket}: new frames put the session on that loop's ready list (no task,
 * no message per frame), and the loop's drain is the only thread that writes its packets. The drain is paced
 * ({@link ArtcPacer}) so that a new viewer's cached GOP arrives fast but not as one burst, and it stops taking
 * frames while the socket is congested.
 */
final class ArtcSession implements EventLoop.Writer {

    private static final Logger log = LoggerFactory.getLogger(ArtcSession.class);
    private static final int DATAGRAM = ArtcSocket.DATAGRAM;
    /**
     * How long a read of the DTLS association waits for more once the viewer's datagrams are taken: it runs only
     * when one arrived, so it does not wait for the next.
     */
    private static final int ASSOCIATION_READ_MILLIS = 1;
    /** RTCP canonical name of every artc sender of this node (RFC 3550 section 6.5.1). */
    private static final byte[] CNAME = "liveshard".getBytes(StandardCharsets.US_ASCII);
    /** Room after an RTCP packet for the SRTCP index and tag. */
    private static final int SRTCP_ROOM = 32;
    /** How often Sender Reports go out: RFC 3550's 5 s minimum interval is for large groups; one viewer is cheap. */
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;
    private static final long STUN_REFUSAL_LOG_NANOS = 10_000_000_000L;

    private final String id;
    private final StreamKey key;
    private final String localUfrag;
    private final IceLiteResponder responder;
    private final ArtcSessionServices services;
    private final ArtcTransport transport;
    private final ArtcSocket socket;
    private final DtlsSrtpServer dtls;
    private final DtlsDatagramTransport dtlsTransport;
    private final LatencyRecorder latency;
    private final Runnable onClosed;
    private final AtomicBoolean handshakeStarted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** A thread reads the association (or is about to): BouncyCastle's receive takes one thread at a time. */
    private final AtomicBoolean associationReading = new AtomicBoolean();
    private final Runnable wakeUp = this::scheduleDrain;
    private final SubscriberQueue queue;
    /** Frames taken from the queue, sent up to {@link #sentOfBatch}; the rest wait for the pacer or the socket. */
    private final List<MediaFrame> batch = new ArrayList<>();
    private int sentOfBatch;
    private final ArtcPacer pacer;
    /** A pacer timer is set on the loop; loop thread only. */
    private boolean pacerTimerSet;
    private final ArtcStreamPacketizer packetizer;
    private final RtpPacketWriter video;
    private final Optional<ArtcAudioFeed> audioFeed;
    private final Optional<RtpPacketWriter> audio;
    private final ArtcLossRecovery recovery;
    private final ArtcMetrics.Session metrics;
    private final ArtcReceiverStats receiverStats;
    private final byte[] packet = new byte[DATAGRAM];
    private final byte[] report = new byte[RtcpWriter.SENDER_REPORT_SIZE
            + RtcpWriter.sourceDescriptionSize(CNAME.length) + SRTCP_ROOM];
    private final long createdNanos = System.nanoTime();

    private volatile InetSocketAddress remote;
    private volatile long lastValidNanos = System.nanoTime();
    /**
     * Once the queue has been drained empty: the GOP catch-up (or a keyframe request's GOP replay) is over and frames
     * go out as they arrive.
     */
    private boolean caughtUp;
    private long stunRefusals;
    private boolean stunRefusalLogged;
    private long stunRefusalLoggedNanos;
    private volatile SrtpContext srtp;
    private volatile SrtpContext srtcpIn;
    private volatile boolean playing;
    /** The handshake is done: from now on DTLS datagrams are read as they come ({@link #readAssociationSoon}). */
    private volatile boolean associated;
    /** Media clock of Sender Reports: the DTS of the latest video frame sent, and when it was sent. */
    private long clockMillis;
    private long clockSetNanos;
    private boolean clockSet;
    private long audioPosition;
    private long audioSkipped;
    private long lastReportNanos;
    private long videoPackets;
    private long audioPackets;
    private long sentBytes;
    private long sendFailures;

    ArtcSession(String id, StreamKey key, String localUfrag, String localPassword, String remoteUfrag,
                ArtcTracks tracks, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint,
                ArtcStreamPacketizer packetizer, Optional<ArtcAudioFeed> audioFeed, ArtcSessionServices services,
                ArtcSocket socket, LatencyRecorder latency, Runnable onClosed, SecureRandom random) {
        this.id = id;
        this.key = key;
        this.localUfrag = localUfrag;
        this.responder = new IceLiteResponder(localUfrag, localPassword, Optional.of(remoteUfrag),
                StunLimits.defaults());
        this.services = services;
        this.transport = services.transport();
        this.socket = socket;
        this.packetizer = packetizer;
        this.latency = latency;
        this.onClosed = onClosed;
        this.dtls = new DtlsSrtpServer(certificate, remoteFingerprint, DtlsSrtpConfig.DEFAULT, random);
        this.dtlsTransport = new DtlsDatagramTransport((bytes, offset, length) -> {
            InetSocketAddress to = remote;
            if (to != null) {
                socket.sendControl(bytes, offset, length, to);
            }
        });
        this.queue = new SubscriberQueue("artc-" + id, services.streams().settings().slowConsumer(), wakeUp);
        this.video = new RtpPacketWriter(tracks.videoSsrc(), tracks.videoPayloadType(), random.nextInt(0x10000),
                random.nextInt() & 0xFFFFFFFFL);
        this.audioFeed = tracks.audioPayloadType().isPresent() ? audioFeed : Optional.empty();
        this.audio = this.audioFeed.map(feed -> new RtpPacketWriter(tracks.audioSsrc(),
                tracks.audioPayloadType().getAsInt(), random.nextInt(0x10000), random.nextInt() & 0xFFFFFFFFL));
        Optional<RtpRtxWriter> rtx = tracks.rtxPayloadType().isPresent()
                ? Optional.of(new RtpRtxWriter(tracks.rtxSsrc(), tracks.rtxPayloadType().getAsInt(),
                        random.nextInt(0x10000)))
                : Optional.empty();
        ArtcSettings settings = services.settings();
        this.pacer = new ArtcPacer(settings.catchUpBitrate(), settings.catchUpBurst(), System.nanoTime());
        this.recovery = new ArtcLossRecovery(tracks.videoSsrc(), video, rtx,
                new RtpRetransmissionHistoryConfig(RtpRetransmissionHistoryConfig.DEFAULT_CAPACITY,
                        settings.retransmissionWindow()),
                settings.keyframeReplayInterval().toNanos(), DATAGRAM);
        this.metrics = services.metrics().session(key);
        this.receiverStats = new ArtcReceiverStats(tracks.videoSsrc(),
                this.audio.map(RtpPacketWriter::ssrc).orElse(-1L), metrics);
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

    boolean closed() {
        return closed.get();
    }

    /** The viewer's address as ICE last confirmed it. */
    InetSocketAddress remote() {
        return remote;
    }

    /** Silent since this many nanoseconds: no valid STUN, DTLS or SRTCP from the viewer. */
    long silentNanos(long now) {
        return now - lastValidNanos;
    }

    long ageNanos(long now) {
        return now - createdNanos;
    }

    ArtcLossRecovery recovery() {
        return recovery;
    }

    /**
     * A binding request for this session, on the receive thread. A valid check from a new address moves the
     * session there (the viewer's network changed, RFC 8445 consent); an invalid one moves nothing.
     */
    void onStun(StunMessage request, InetSocketAddress sender) {
        IceLiteOutcome outcome = responder.respond(request, sender);
        try {
            if (outcome instanceof IceLiteOutcome.Success success) {
                lastValidNanos = System.nanoTime();
                if (!sender.equals(remote)) {
                    if (remote != null) {
                        log.info("artc {} {}: viewer moved from {} to {}", key, id, remote, sender);
                    }
                    remote = sender;
                    transport.latch(sender, this);
                }
                socket.sendControl(success.response(), 0, success.response().length, sender);
            } else if (outcome instanceof IceLiteOutcome.ErrorResponse error) {
                socket.sendControl(error.response(), 0, error.response().length, sender);
                logStunRefusal(sender, error);
            }
        } catch (IOException e) {
            log.warn("artc {} {}: could not answer STUN: {}", key, id, e.toString());
        }
    }

    /**
     * The first refusal is logged, then at most one line per {@link #STUN_REFUSAL_LOG_NANOS} with how many there
     * were: anyone who saw the session's username can send checks with a wrong password, and each is answered.
     * Racy counts when checks arrive on two loops at once only blur a log line.
     */
    private void logStunRefusal(InetSocketAddress sender, IceLiteOutcome.ErrorResponse error) {
        stunRefusals++;
        long now = System.nanoTime();
        if (!stunRefusalLogged || now - stunRefusalLoggedNanos >= STUN_REFUSAL_LOG_NANOS) {
            log.info("artc {} {}: STUN refused from {}: {} ({} refused since the last such line)", key, id, sender,
                    error.error(), stunRefusals);
            stunRefusals = 0;
            stunRefusalLogged = true;
            stunRefusalLoggedNanos = now;
        }
    }

    void onDtls(byte[] packet, int offset, int length) {
        lastValidNanos = System.nanoTime();
        dtlsTransport.offer(packet, offset, length);
        if (associated) {
            readAssociationSoon();
        } else if (handshakeStarted.compareAndSet(false, true)) {
            // The handshake takes a thread from the viewer's first DTLS datagram (its ClientHello) on, not from
            // its ICE check: a viewer that never starts DTLS holds no thread.
            services.blocking().execute(this::handshake);
        }
    }

    /**
     * SRTCP from the viewer, on the receive thread: receiver reports and feedback. Only packets that authenticate
     * keep the session alive; NACK and PLI/FIR are queued for the drain, which answers them.
     */
    void onSrtcp(byte[] packet, int offset, int length) {
        SrtpContext in = srtcpIn;
        if (in == null) {
            return;
        }
        List<RtcpPacket> packets;
        try {
            int plain = in.unprotectRtcp(packet, offset, length);
            lastValidNanos = System.nanoTime();
            packets = RtcpCompoundParser.parse(packet, offset, plain);
        } catch (SrtpException | RtcpException e) {
            receiverStats.refused();
            return;
        }
        receiverStats.record(packets, RtcpNtpTime.compact(RtcpNtpTime.fromUnixMillis(System.currentTimeMillis())));
        if (recovery.onFeedback(packets)) {
            scheduleDrain();
        }
    }

    private void handshake() {
        try {
            DtlsSrtpKeys keys = dtls.accept(dtlsTransport);
            srtcpIn = keys.newReceivingContext();
            srtp = keys.newSendingContext();
            log.info("artc {} {}: DTLS-SRTP up with {}{}", key, id, remote, audio.isPresent() ? ", with Opus" : "");
            services.streams().subscribe(key, queue, "artc", Duration.ZERO).whenComplete((reply, failure) -> {
                if (failure == null && reply instanceof StreamEntity.Subscribed) {
                    audioFeed.ifPresent(feed -> {
                        // Audio starts live: the shared feed's past is the GOP's audio other viewers already had.
                        audioPosition = feed.end();
                        feed.addListener(wakeUp);
                    });
                    if (closed.get()) {
                        // Closed while the stream answered (DELETE, the sweep): close() may have removed the
                        // listener before it was added, and the stream already let the cancelled queue go.
                        audioFeed.ifPresent(feed -> feed.removeListener(wakeUp));
                        return;
                    }
                    playing = true;
                    scheduleDrain();
                } else if (reply instanceof StreamEntity.Refused refused) {
                    services.metrics().refused(refused.cause());
                    close("refused at the subscribe, " + refused.reason());
                } else {
                    close(failure != null ? "the subscribe failed: " + failure
                            : reply instanceof StreamEntity.NotLive notLive ? notLive.reason()
                            : "stream " + key + " is not live");
                }
            });
            // No thread waits on the association from now on: after the handshake a viewer sends DTLS only to
            // repeat its last flight (ours was lost) or to hang up, and each such datagram borrows a thread.
            associated = true;
            if (associationReading.compareAndSet(false, true)) {
                readAssociation();
            }
        } catch (Exception e) {
            if (!closed.get()) {
                log.warn("artc {} {}: DTLS failed with {}: {}", key, id, remote, e.getMessage());
                close("DTLS failed");
            }
        }
    }

    private void readAssociationSoon() {
        if (associationReading.compareAndSet(false, true)) {
            services.blocking().execute(this::readAssociation);
        }
    }

    /**
     * Lets BouncyCastle take the viewer's DTLS datagrams that arrived since the handshake: it resends its last
     * flight when the viewer repeats its own, and a close_notify or a fatal alert ends the association, and with it
     * the session. Runs with {@link #associationReading} taken, and gives it back.
     */
    private void readAssociation() {
        byte[] discard = new byte[DATAGRAM];
        try {
            do {
                while (dtlsTransport.hasQueued() && !closed.get()) {
                    dtls.receive(discard, 0, discard.length, ASSOCIATION_READ_MILLIS);
                }
                associationReading.set(false);
                // A datagram offered after the loop's last look but before the flag was given back has no reader.
            } while (dtlsTransport.hasQueued() && !closed.get() && associationReading.compareAndSet(false, true));
        } catch (IOException | RuntimeException e) {
            associationReading.set(false);
            if (!closed.get()) {
                log.info("artc {} {}: the viewer ended DTLS ({})", key, id, e.getMessage());
                close("the viewer ended DTLS");
            }
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            socket.loop().readyNow(this);
        }
    }

    /** The loop's turn for this session: answer feedback, send Opus, then frames as the pacer and socket allow. */
    @Override
    public void writeReady() {
        drainScheduled.set(false);
        synchronized (batch) {
            if (!playing || closed.get()) {
                return;
            }
            long now = System.nanoTime();
            recovery.answer(now, this::sendRepair);
            sendAudio(now);
            while (true) {
                // A GOP replay (a PLI's answer) goes ahead of the live frames, paced like a new viewer's catch-up,
                // since a GOP can be megabytes.
                RtpPacketizedFrame replayed = recovery.replayFrame();
                if (replayed == null && sentOfBatch == batch.size()) {
                    batch.clear();
                    sentOfBatch = 0;
                    if (queue.drainTo(batch) == 0) {
                        caughtUp = true;
                        break;
                    }
                    now = System.nanoTime();
                }
                if (socket.congested()) {
                    socket.waitForRoom(this);
                    return;
                }
                long wait = pacer.waitNanos(now);
                if (wait > 0) {
                    waitForPacer(wait);
                    return;
                }
                if (replayed != null) {
                    // Live frames wait behind the replay: the viewer is catching up again.
                    caughtUp = false;
                    recovery.replayFrameSent();
                    sendVideo(replayed);
                } else {
                    send(batch.get(sentOfBatch++), now);
                }
            }
            if (now - lastReportNanos >= REPORT_INTERVAL_NANOS && clockSet) {
                sendReports(now);
            }
            SubscriberQueue.EndReason ended = queue.endReason();
            if (ended != null) {
                close("stream ended (" + ended + ")");
            }
        }
    }

    @Override
    public void writeFailed(RuntimeException cause) {
        close("its send failed: " + cause);
    }

    private void waitForPacer(long nanos) {
        if (!pacerTimerSet) {
            pacerTimerSet = true;
            socket.loop().schedule(nanos, () -> {
                pacerTimerSet = false;
                scheduleDrain();
            });
        }
    }

    private void send(MediaFrame frame, long now) {
        if (!frame.isVideo() || frame.codec() != MediaCodec.H264) {
            return; // audio comes from the stream's shared Opus feed
        }
        try {
            if (frame.config()) {
                packetizer.configure(frame);
                return;
            }
            RtpPacketizedFrame packets = packetizer.packetize(frame);
            if (packetizer.claimBFrameWarning()) {
                log.warn("artc {}: the stream has B-frames{}, which WebRTC players would show out of order; artc "
                        + "viewers get it without them, at a lower frame rate; publish without B-frames (x264 -bf 0, "
                        + "OBS \"B-frames 0\") for every frame", key,
                        packetizer.referenceBFrames() > 0 ? " (with a B-pyramid)" : "");
            }
            if (packets == null) {
                return; // a B-frame artc leaves out (ArtcBFramePolicy)
            }
            sendVideo(packets);
            if (caughtUp) {
                // Before, the frames came after the paced GOP catch-up or replay, not as they arrived; like the GOP
                // cache itself for RTMP and HTTP-FLV viewers, they are not the node's latency.
                latency.sent(frame, now);
            }
            clockMillis = frame.dts();
            clockSetNanos = now;
            clockSet = true;
        } catch (RtpException | CodecFormatException e) {
            log.warn("artc {} {}: skipped a frame: {}", key, id, e.getMessage());
        }
    }

    /** Writes a video frame as the next packets of the viewer's video stream and remembers them for NACKs. */
    private void sendVideo(RtpPacketizedFrame frame) {
        int first = video.nextSequenceNumber();
        for (int i = 0; i < frame.packetCount(); i++) {
            int length = video.write(frame, i, packet, 0);
            if (sendRtp(length, false)) {
                videoPackets++;
            }
        }
        recovery.sent(frame, first, System.nanoTime());
    }

    private void sendAudio(long now) {
        if (audioFeed.isEmpty()) {
            return;
        }
        ArtcAudioFeed feed = audioFeed.get();
        RtpPacketWriter writer = audio.get();
        long end = feed.end();
        if (audioPosition < feed.start()) {
            audioSkipped += feed.start() - audioPosition;
            audioPosition = feed.start();
        }
        for (; audioPosition < end; audioPosition++) {
            RtpPacketizedFrame opus = feed.at(audioPosition);
            if (opus == null) {
                audioSkipped++;
                continue;
            }
            int length = writer.write(opus, 0, packet, 0);
            if (sendRtp(length, false)) {
                audioPackets++;
            }
            latency.sent(opus.ingestNanos(), now);
        }
    }

    /** A retransmission from {@link ArtcLossRecovery}: RTX is a new stream, an original packet is sent again. */
    private boolean sendRepair(byte[] repair, int length, boolean original) {
        System.arraycopy(repair, 0, packet, 0, length);
        sendRtp(length, original);
        return !socket.congested();
    }

    /** Protects {@code packet[0, length)} and sends it; false (counted) when it could not go out. */
    private boolean sendRtp(int length, boolean retransmissionOfOriginal) {
        try {
            int protectedLength = retransmissionOfOriginal ? srtp.protectRtpRetransmission(packet, 0, length)
                    : srtp.protectRtp(packet, 0, length);
            pacer.spent(protectedLength);
            if (!socket.send(packet, 0, protectedLength, remote)) {
                return false;
            }
            sentBytes += protectedLength;
            return true;
        } catch (SrtpException | IOException e) {
            if (sendFailures++ == 0) {
                log.warn("artc {} {}: could not send a packet: {}", key, id, e.getMessage());
            }
            return false;
        }
    }

    /**
     * Sender Reports for video and audio with one NTP instant and one media clock (the latest video frame's DTS
     * advanced by the time since it was sent), converted to each stream's RTP clock: the viewer relates both streams
     * through the same instant and can play them in sync (RFC 3550 6.4.1).
     */
    private void sendReports(long now) {
        lastReportNanos = now;
        long ntp = RtcpNtpTime.fromUnixMillis(System.currentTimeMillis());
        long mediaMicros = clockMillis * 1000 + (now - clockSetNanos) / 1000;
        sendReport(video, ntp, mediaMicros, RtpTimestamps.H264_CLOCK_RATE);
        audio.ifPresent(writer -> {
            if (writer.packetCount() > 0) {
                sendReport(writer, ntp, mediaMicros, RtpTimestamps.OPUS_CLOCK_RATE);
            }
        });
        metrics.flush(new ArtcMetrics.Totals(videoPackets, audioPackets, recovery.retransmittedPackets(), sentBytes,
                recovery.nackedPackets(), recovery.keyframeRequests(), receiverStats.reportedLost()));
    }

    private void sendReport(RtpPacketWriter writer, long ntp, long mediaMicros, int clockRate) {
        long rtpNow = RtpTimestamps.add(Math.floorDiv(mediaMicros * clockRate, 1_000_000L),
                writer.timestampOffset());
        int length = RtcpWriter.writeSenderReport(report, 0, writer.ssrc(), ntp, rtpNow, writer.packetCount(),
                writer.octetCount());
        length += RtcpWriter.writeSourceDescription(report, length, writer.ssrc(), CNAME);
        try {
            length = srtp.protectRtcp(report, 0, length);
            socket.send(report, 0, length, remote);
            sentBytes += length;
        } catch (SrtpException | IOException e) {
            log.debug("artc {} {}: no sender report: {}", key, id, e.getMessage());
        }
    }

    void close(String why) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("artc {} {}: closed, {} ({} video and {} audio packets sent, {} audio packets skipped, "
                        + "{} retransmitted, {} GOP replays; viewer reported {})", key, id, why, videoPackets,
                audioPackets, audioSkipped, recovery.retransmittedPackets(), recovery.gopReplays(), receiverStats);
        transport.unregister(this);
        audioFeed.ifPresent(feed -> feed.removeListener(wakeUp));
        queue.cancel();
        services.streams().unsubscribe(key, queue);
        dtlsTransport.close();
        try {
            dtls.close();
        } catch (IOException | RuntimeException e) {
            // The association is going away either way.
        }
        synchronized (batch) {
            // Under the drain's lock: a drain still sending on the loop has its frames counted first.
            latency.close();
            if (clockSet) {
                metrics.flush(new ArtcMetrics.Totals(videoPackets, audioPackets, recovery.retransmittedPackets(),
                        sentBytes, recovery.nackedPackets(), recovery.keyframeRequests(),
                        receiverStats.reportedLost()));
            }
            recovery.clear();
            batch.clear();
            sentOfBatch = 0;
        }
        onClosed.run();
    }
}
