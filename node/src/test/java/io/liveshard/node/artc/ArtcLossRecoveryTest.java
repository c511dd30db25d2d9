package io.liveshard.node.artc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.rtcp.RtcpCompoundParser;
import io.liveshard.protocol.rtcp.RtcpWriter;
import io.liveshard.protocol.rtp.RtpHeader;
import io.liveshard.protocol.rtp.RtpH264Packetizer;
import io.liveshard.protocol.rtp.RtpPacketWriter;
import io.liveshard.protocol.rtp.RtpPacketizedFrame;
import io.liveshard.protocol.rtp.RtpPacketizerConfig;
import io.liveshard.protocol.rtp.RtpRetransmissionHistoryConfig;
import io.liveshard.protocol.rtp.RtpRtxWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A session's loss recovery fed with RTCP the protocol module writes and parses: NACKs answered as RTX with the
 * original payload, and keyframe requests answered by a GOP replay at most once per interval.
 */
class ArtcLossRecoveryTest {

    private static final long VIDEO_SSRC = 0x1234L;
    private static final long SECOND = 1_000_000_000L;

    private final RtpPacketWriter video = new RtpPacketWriter(VIDEO_SSRC, 106, 65530, 77);
    private final List<byte[]> repairs = new ArrayList<>();
    private final List<RtpPacketizedFrame> replayed = new ArrayList<>();

    @Test
    void aNackIsAnsweredWithRtxCarryingTheOriginalSequenceNumberAndPayload() throws Exception {
        ArtcLossRecovery recovery = recovery(Optional.of(new RtpRtxWriter(0x9999L, 107, 100)));
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.addAll(send(recovery, frame(i, i % 5 == 0), 0));
        }
        int lost = RtpHeader.parse(sent.get(7), 0, sent.get(7).length).sequenceNumber();

        assertTrue(recovery.onFeedback(feedback(RtcpWriter.genericNackSize(new int[] {lost}),
                (out) -> RtcpWriter.writeGenericNack(out, 0, 1, VIDEO_SSRC, new int[] {lost}))));
        recovery.answer(SECOND / 2, this::repaired);
        takeReplay(recovery);

        assertEquals(1, repairs.size());
        byte[] rtx = repairs.get(0);
        RtpHeader header = RtpHeader.parse(rtx, 0, rtx.length);
        RtpHeader original = RtpHeader.parse(sent.get(7), 0, sent.get(7).length);
        assertEquals(List.of(0x9999L, 107, 100, original.timestamp()),
                List.of(header.ssrc(), header.payloadType(), header.sequenceNumber(), header.timestamp()));
        assertEquals(lost, (rtx[12] & 0xFF) << 8 | rtx[13] & 0xFF, "OSN");
        assertArrayEquals(Arrays.copyOfRange(sent.get(7), 12, sent.get(7).length),
                Arrays.copyOfRange(rtx, 14, rtx.length));
        assertEquals(1, recovery.retransmittedPackets());
    }

    @Test
    void withoutRtxTheOriginalPacketIsSentAgainAndTooOldPacketsAreNot() throws Exception {
        ArtcLossRecovery recovery = recovery(Optional.empty());
        List<byte[]> sent = send(recovery, frame(0, true), 0);
        int first = RtpHeader.parse(sent.get(0), 0, sent.get(0).length).sequenceNumber();

        recovery.onFeedback(feedback(RtcpWriter.genericNackSize(new int[] {first}),
                (out) -> RtcpWriter.writeGenericNack(out, 0, 1, VIDEO_SSRC, new int[] {first})));
        recovery.answer(SECOND / 2, this::repaired);
        takeReplay(recovery);
        assertArrayEquals(sent.get(0), repairs.get(0), "byte-identical to the first sending");

        recovery.onFeedback(feedback(RtcpWriter.genericNackSize(new int[] {first}),
                (out) -> RtcpWriter.writeGenericNack(out, 0, 1, VIDEO_SSRC, new int[] {first})));
        recovery.answer(3 * SECOND, this::repaired);
        takeReplay(recovery);
        assertEquals(1, repairs.size(), "past the retransmission window");
        assertEquals(1, recovery.unavailablePackets());
    }

    @Test
    void retransmissionsStopForTheDrainWhenTheSocketHasNoRoom() throws Exception {
        ArtcLossRecovery recovery = recovery(Optional.empty());
        int[] lost = new int[5];
        for (int i = 0; i < lost.length; i++) {
            List<byte[]> sent = send(recovery, frame(i, i == 0), 0);
            lost[i] = RtpHeader.parse(sent.get(0), 0, sent.get(0).length).sequenceNumber();
        }
        recovery.onFeedback(feedback(RtcpWriter.genericNackSize(lost),
                (out) -> RtcpWriter.writeGenericNack(out, 0, 1, VIDEO_SSRC, lost)));
        // The socket fills up with the second retransmission.
        recovery.answer(SECOND / 2, (packet, length, original) -> repaired(packet, length, original)
                && repairs.size() < 2);
        assertEquals(2, repairs.size(), "nothing more once the socket said it was full");
        assertEquals(2, recovery.retransmittedPackets());
        assertEquals(3, recovery.unavailablePackets(), "the rest the viewer asks for again");
    }

    @Test
    void keyframeRequestsReplayTheGopAtMostOncePerInterval() throws Exception {
        ArtcLossRecovery recovery = recovery(Optional.empty());
        send(recovery, frame(0, false), 0); // before any keyframe: nothing to replay
        List<RtpPacketizedFrame> gop = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            RtpPacketizedFrame frame = frame(i, i == 1);
            gop.add(frame);
            send(recovery, frame, 0);
        }
        byte[] pli = new byte[RtcpWriter.FEEDBACK_HEADER_SIZE];
        RtcpWriter.writePictureLossIndication(pli, 0, 1, VIDEO_SSRC);

        recovery.onFeedback(RtcpCompoundParser.parse(pli, 0, pli.length));
        recovery.answer(10 * SECOND, this::repaired);
        takeReplay(recovery);
        assertEquals(gop, replayed, "the keyframe, then the frames after it");

        recovery.onFeedback(RtcpCompoundParser.parse(pli, 0, pli.length));
        recovery.answer(10 * SECOND + SECOND / 2, this::repaired);
        takeReplay(recovery);
        assertEquals(4, replayed.size(), "a second request within the interval is ignored");

        recovery.onFeedback(RtcpCompoundParser.parse(pli, 0, pli.length));
        recovery.answer(11 * SECOND + 1, this::repaired);
        takeReplay(recovery);
        assertEquals(8, replayed.size(), "after the interval the GOP is replayed again");
        assertEquals(3, recovery.keyframeRequests());
        assertEquals(2, recovery.gopReplays());
    }

    @Test
    void aKeyframeRequestWaitsWhileTheLastReplayIsStillGoingOut() throws Exception {
        ArtcLossRecovery recovery = recovery(Optional.empty());
        List<RtpPacketizedFrame> gop = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            gop.add(frame(i, i == 1));
            send(recovery, gop.get(i - 1), 0);
        }
        byte[] pli = new byte[RtcpWriter.FEEDBACK_HEADER_SIZE];
        RtcpWriter.writePictureLossIndication(pli, 0, 1, VIDEO_SSRC);
        recovery.onFeedback(RtcpCompoundParser.parse(pli, 0, pli.length));
        recovery.answer(10 * SECOND, this::repaired);
        assertEquals(gop.get(0), recovery.replayFrame(), "the first replay waits to go out, keyframe first");

        // Past the interval, but the first replay has not gone out yet: the request waits, it is not dropped.
        recovery.onFeedback(RtcpCompoundParser.parse(pli, 0, pli.length));
        recovery.answer(12 * SECOND, this::repaired);
        takeReplay(recovery);
        assertEquals(4, replayed.size(), "no second replay on top of the first");
        replayed.clear();
        recovery.answer(12 * SECOND + 1, this::repaired);
        takeReplay(recovery);
        assertEquals(4, replayed.size(), "the waiting request is answered once the first replay went out");
        assertEquals(2, recovery.gopReplays());
    }

    /** Sends the queued replay, as the session does, into {@link #replayed}. */
    private void takeReplay(ArtcLossRecovery recovery) {
        for (RtpPacketizedFrame frame; (frame = recovery.replayFrame()) != null; ) {
            recovery.replayFrameSent();
            replayed.add(frame);
        }
    }

    private ArtcLossRecovery recovery(Optional<RtpRtxWriter> rtx) {
        return new ArtcLossRecovery(VIDEO_SSRC, video, rtx,
                new RtpRetransmissionHistoryConfig(1024, java.time.Duration.ofSeconds(1)), SECOND, 1500);
    }

    private boolean repaired(byte[] packet, int length, boolean original) {
        repairs.add(Arrays.copyOf(packet, length));
        return true;
    }

    /** Writes a frame as the session does and records it; returns the RTP packets. */
    private List<byte[]> send(ArtcLossRecovery recovery, RtpPacketizedFrame frame, long now) {
        int first = video.nextSequenceNumber();
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < frame.packetCount(); i++) {
            byte[] out = new byte[1500];
            packets.add(Arrays.copyOf(out, video.write(frame, i, out, 0)));
        }
        recovery.sent(frame, first, now);
        return packets;
    }

    /** A one-packet H.264 frame (AVCC in an FLV video tag body) with a distinct slice. */
    private static RtpPacketizedFrame frame(int index, boolean keyframe) throws Exception {
        RtpH264Packetizer packetizer = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
        packetizer.configure(new AvcDecoderConfigurationRecord(1, 66, 0, 30, 4,
                List.of(new byte[] {0x67, 0x42, (byte) 0xc0, 0x1e}), List.of(new byte[] {0x68, (byte) 0xce, 0x3c,
                        (byte) 0x80})));
        byte[] body = new byte[5 + 4 + 100 + index];
        body[0] = (byte) (keyframe ? 0x17 : 0x27);
        body[1] = 1;
        body[8] = (byte) (100 + index);
        body[9] = (byte) (keyframe ? 0x65 : 0x41);
        return packetizer.packetize(new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, keyframe, index * 33L, 0,
                body, 5, 0));
    }

    private interface RtcpBuilder {
        int write(byte[] out);
    }

    private static List<io.liveshard.protocol.rtcp.RtcpPacket> feedback(int size, RtcpBuilder builder)
            throws Exception {
        byte[] out = new byte[size];
        builder.write(out);
        return RtcpCompoundParser.parse(out, 0, size);
    }
}
