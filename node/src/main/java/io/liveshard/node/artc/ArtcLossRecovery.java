package io.liveshard.node.artc;

import io.liveshard.protocol.rtcp.RtcpFullIntraRequest;
import io.liveshard.protocol.rtcp.RtcpGenericNack;
import io.liveshard.protocol.rtcp.RtcpPacket;
import io.liveshard.protocol.rtcp.RtcpPictureLossIndication;
import io.liveshard.protocol.rtp.RtpPacketWriter;
import io.liveshard.protocol.rtp.RtpPacketizedFrame;
import io.liveshard.protocol.rtp.RtpRetransmissionHistory;
import io.liveshard.protocol.rtp.RtpRetransmissionHistoryConfig;
import io.liveshard.protocol.rtp.RtpRtxWriter;
import io.liveshard.protocol.rtp.RtpSequenceNumbers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One viewer's video loss recovery: a bounded history of the packets it was sent (references to the shared
 * payloads, never copies), NACKs answered from it (RFC 4585 6.2.1) as RTX (RFC 4588) when the viewer negotiated it,
 * else as the original packet, and PLI/FIR (RFC 4585 6.3.1, RFC 5104 4.3.1) answered by sending the viewer's
 * current GOP again, keyframe first, at most once per {@code keyframeInterval}.
 *
 * <p>Why the whole GOP and not only the keyframe: the frames after the replayed keyframe reference the frames
 * between it and now, so a keyframe alone would leave the next live frames undecodable until the encoder's next
 * keyframe; the GOP is bounded by {@link #MAX_GOP_FRAMES}, beyond which nothing is replayed and the next real
 * keyframe repairs the picture.
 *
 * <p>Feedback arrives on the UDP receive thread and is only queued there ({@link #onFeedback}); the session's drain
 * answers it ({@link #answer}), the one thread that writes this viewer's packets.
 */
final class ArtcLossRecovery {

    /** Sends one RTP packet of this viewer: protects it (as a retransmission or not) and writes it to the socket. */
    interface PacketSink {
        /**
         * @return false when the socket has no room for more now: the drain's other retransmissions are skipped
         *         rather than queued behind other viewers' packets (the viewer asks again)
         */
        boolean send(byte[] packet, int length, boolean retransmission);
    }

    /** Frames of a GOP kept for replay: 10 s at 30 fps, longer than any live encoder's keyframe interval. */
    static final int MAX_GOP_FRAMES = 300;
    /** NACK packets queued between two drains; more are dropped (the receiver asks again). */
    static final int MAX_PENDING_NACKS = 64;
    /** Retransmissions per drain: a hostile or confused receiver cannot make one NACK burst unbounded. */
    static final int MAX_RETRANSMISSIONS_PER_DRAIN = 512;

    private final long videoSsrc;
    private final RtpPacketWriter video;
    private final Optional<RtpRtxWriter> rtx;
    private final RtpRetransmissionHistory history;
    private final long keyframeIntervalNanos;
    private final ArrayBlockingQueue<int[]> pendingNacks = new ArrayBlockingQueue<>(MAX_PENDING_NACKS);
    private final List<RtpPacketizedFrame> gop = new ArrayList<>();
    /** Frames of the last replay not yet taken by the session, ahead of its live frames. */
    private final ArrayDeque<RtpPacketizedFrame> replay = new ArrayDeque<>();
    private final byte[] packet;

    private volatile boolean keyframeWanted;
    private boolean gopReplayable;
    private long lastReplayNanos;
    private boolean replayed;

    private volatile long nackedPackets;
    private volatile long retransmittedPackets;
    private volatile long unavailablePackets;
    private volatile long keyframeRequests;
    private volatile long gopReplays;

    ArtcLossRecovery(long videoSsrc, RtpPacketWriter video, Optional<RtpRtxWriter> rtx,
                     RtpRetransmissionHistoryConfig historyConfig, long keyframeIntervalNanos, int packetBuffer) {
        this.videoSsrc = videoSsrc;
        this.video = video;
        this.rtx = rtx;
        this.history = new RtpRetransmissionHistory(historyConfig);
        this.keyframeIntervalNanos = keyframeIntervalNanos;
        this.packet = new byte[packetBuffer];
    }

    /**
     * Feedback from the viewer (receive thread): NACKs and keyframe requests for the video SSRC are queued.
     *
     * @return true when something waits for {@link #answer}
     */
    boolean onFeedback(List<RtcpPacket> packets) {
        boolean queued = false;
        for (RtcpPacket packet : packets) {
            if (packet instanceof RtcpGenericNack nack && nack.mediaSsrc() == videoSsrc) {
                nackedPackets += nack.lostSequenceNumbers().length;
                queued |= pendingNacks.offer(nack.lostSequenceNumbers());
            } else if (packet instanceof RtcpPictureLossIndication pli && pli.mediaSsrc() == videoSsrc
                    || packet instanceof RtcpFullIntraRequest fir
                    && fir.requests().stream().anyMatch(r -> r.ssrc() == videoSsrc)) {
                keyframeRequests++;
                keyframeWanted = true;
                queued = true;
            }
        }
        return queued;
    }

    /** Records a frame whose packets were just written with the sequence numbers from {@code firstSequence}. */
    void sent(RtpPacketizedFrame frame, int firstSequence, long nowNanos) {
        for (int i = 0; i < frame.packetCount(); i++) {
            history.record(RtpSequenceNumbers.add(firstSequence, i), frame, i, nowNanos);
        }
        if (frame.keyframe()) {
            gop.clear();
            gopReplayable = true;
        } else if (gop.size() >= MAX_GOP_FRAMES) {
            gopReplayable = false;
        }
        if (gopReplayable) {
            gop.add(frame);
        } else {
            gop.clear();
        }
    }

    /**
     * Answers the queued feedback on the drain thread: NACKs at once, as far as the socket has room; a GOP replay
     * is queued, keyframe first, for the session to take ({@link #replayFrame}) and send as new packets at the
     * pace of its other frames.
     */
    void answer(long nowNanos, PacketSink sink) {
        int budget = MAX_RETRANSMISSIONS_PER_DRAIN;
        boolean room = true;
        int[] lost;
        while ((lost = pendingNacks.poll()) != null) {
            for (int sequenceNumber : lost) {
                if (!room || budget-- <= 0) {
                    unavailablePackets++;
                    continue;
                }
                room = retransmit(sequenceNumber, nowNanos, sink);
            }
        }
        // While the last replay is still going out, a new request waits for it: a new replay now would take the GOP
        // as resent so far, and drop the rest of the last one.
        if (keyframeWanted && replay.isEmpty()) {
            keyframeWanted = false;
            boolean allowed = !replayed || nowNanos - lastReplayNanos >= keyframeIntervalNanos;
            if (allowed && gopReplayable && !gop.isEmpty()) {
                replayed = true;
                lastReplayNanos = nowNanos;
                gopReplays++;
                // Sending them records the frames again, which must not change the GOP being queued.
                replay.addAll(gop);
            }
        }
    }

    /**
     * The next frame of a GOP replay to write again as new packets of the live stream; null when none waits. It
     * stays the next until {@link #replayFrameSent}: a replay is done only once its last frame went out.
     */
    RtpPacketizedFrame replayFrame() {
        return replay.peek();
    }

    void replayFrameSent() {
        replay.poll();
    }

    /** @return whether the socket has room for more */
    private boolean retransmit(int sequenceNumber, long nowNanos, PacketSink sink) {
        int slot = history.find(sequenceNumber, nowNanos);
        if (slot < 0) {
            unavailablePackets++;
            return true;
        }
        RtpPacketizedFrame frame = history.frameAt(slot);
        int index = history.packetIndexAt(slot);
        int length;
        if (rtx.isPresent()) {
            length = rtx.get().write(frame, index, sequenceNumber, video.timestampOf(frame), packet, 0);
        } else {
            length = video.writeRetransmission(frame, index, sequenceNumber, packet, 0);
        }
        retransmittedPackets++;
        return sink.send(packet, length, rtx.isEmpty());
    }

    long nackedPackets() {
        return nackedPackets;
    }

    long retransmittedPackets() {
        return retransmittedPackets;
    }

    long unavailablePackets() {
        return unavailablePackets;
    }

    long keyframeRequests() {
        return keyframeRequests;
    }

    long gopReplays() {
        return gopReplays;
    }

    /** Lets go of the shared payloads when the viewer leaves. */
    void clear() {
        history.clear();
        gop.clear();
        replay.clear();
        pendingNacks.clear();
    }
}
