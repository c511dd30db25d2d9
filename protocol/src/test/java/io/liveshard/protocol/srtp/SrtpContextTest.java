package io.liveshard.protocol.srtp;

import static io.liveshard.protocol.srtp.SrtpTestPackets.rtcpLength;
import static io.liveshard.protocol.srtp.SrtpTestPackets.receiverReport;
import static io.liveshard.protocol.srtp.SrtpTestPackets.rtp;
import static io.liveshard.protocol.srtp.SrtpTestPackets.rtpLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Round trips, refusals and the rollover counter, for every profile. */
class SrtpContextTest {

    private static final int SSRC = 0x1234_5678;

    private static SrtpContext context(SrtpProfile profile) {
        return context(profile, 1);
    }

    private static SrtpContext context(SrtpProfile profile, int seed) {
        byte[] key = new byte[profile.masterKeyLength()];
        byte[] salt = new byte[profile.masterSaltLength()];
        Arrays.fill(key, (byte) seed);
        Arrays.fill(salt, (byte) (seed * 3));
        return new SrtpContext(profile, key, salt);
    }

    /** Protects a packet with {@code sender} and returns the protected bytes, exactly sized. */
    private static byte[] protect(SrtpContext sender, int seq) throws SrtpException {
        byte[] packet = rtp(seq, SSRC, 160, 0, -1);
        int length = sender.protectRtp(packet, 0, rtpLength(packet));
        return Arrays.copyOf(packet, length);
    }

    private static SrtpException.Reason refusal(ThrowingAction action) {
        return assertThrows(SrtpException.class, action::run).reason();
    }

    private interface ThrowingAction {
        void run() throws SrtpException;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripsWithCsrcsExtensionsAndOddSizes(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        int seq = 100;
        for (int payload : new int[] {0, 1, 15, 16, 17, 160, 1200}) {
            for (int csrcs : new int[] {0, 2}) {
                for (int extWords : new int[] {-1, 0, 3}) {
                    byte[] original = rtp(seq, SSRC, payload, csrcs, extWords);
                    int length = rtpLength(original);
                    int header = length - payload;
                    byte[] packet = original.clone();
                    int protectedLength = sender.protectRtp(packet, 0, length);
                    assertEquals(length + profile.rtpOverhead(), protectedLength);
                    assertArrayEquals(Arrays.copyOf(original, header), Arrays.copyOf(packet, header),
                            "the header stays in the clear");
                    if (payload >= 16) {
                        assertFalse(Arrays.equals(original, header, length, packet, header, length),
                                "the payload is encrypted");
                    }
                    assertEquals(length, receiver.unprotectRtp(packet, 0, protectedLength));
                    assertArrayEquals(Arrays.copyOf(original, length), Arrays.copyOf(packet, length));
                    seq++;
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpRoundTripsAtAnOffset(SrtpProfile profile) throws SrtpException {
        byte[] packet = rtp(7, SSRC, 300, 0, -1);
        byte[] shifted = new byte[packet.length + 40];
        System.arraycopy(packet, 0, shifted, 40, packet.length);
        int length = context(profile).protectRtp(shifted, 40, rtpLength(packet));
        assertEquals(rtpLength(packet), context(profile).unprotectRtp(shifted, 40, length));
        assertArrayEquals(Arrays.copyOf(packet, rtpLength(packet)),
                Arrays.copyOfRange(shifted, 40, 40 + rtpLength(packet)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripsAndCountsTheIndexUp(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        for (int i = 0; i < 3; i++) {
            byte[] original = receiverReport(SSRC);
            byte[] packet = original.clone();
            int length = sender.protectRtcp(packet, 0, rtcpLength(original));
            assertEquals(rtcpLength(original) + profile.rtcpOverhead(), length);
            int indexAt = profile.isAead() ? length - 4 : length - profile.tagLength() - 4;
            assertEquals(0x8000_0000 | i, SrtpTransform.readInt(packet, indexAt), "E flag and index " + i);
            assertFalse(Arrays.equals(original, 8, 32, packet, 8, 32), "encrypted after the sender ssrc");
            assertEquals(rtcpLength(original), receiver.unprotectRtcp(packet, 0, length));
            assertArrayEquals(Arrays.copyOf(original, 32), Arrays.copyOf(packet, 32));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void anyAlteredOctetFailsAuthentication(SrtpProfile profile) throws SrtpException {
        byte[] packet = protect(context(profile), 1);
        for (int at : new int[] {1, 5, 11, 12, 100, packet.length - 1}) {
            byte[] tampered = packet.clone();
            tampered[at] ^= 0x40;
            assertEquals(SrtpException.Reason.AUTH_FAILED,
                    refusal(() -> context(profile).unprotectRtp(tampered, 0, tampered.length)), "octet " + at);
        }
        byte[] report = receiverReport(SSRC);
        int length = context(profile).protectRtcp(report, 0, rtcpLength(report));
        report[20] ^= 1;
        assertEquals(SrtpException.Reason.AUTH_FAILED,
                refusal(() -> context(profile).unprotectRtcp(report, 0, length)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void otherKeysFailAuthentication(SrtpProfile profile) throws SrtpException {
        byte[] packet = protect(context(profile, 1), 1);
        assertEquals(SrtpException.Reason.AUTH_FAILED,
                refusal(() -> context(profile, 2).unprotectRtp(packet, 0, packet.length)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replaysAreRefusedAndLatePacketsWithinTheWindowAccepted(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        byte[][] sent = new byte[200][];
        for (int seq = 0; seq < sent.length; seq++) {
            sent[seq] = protect(sender, seq);
        }
        for (int seq = 100; seq < 200; seq++) {
            receiver.unprotectRtp(sent[seq].clone(), 0, sent[seq].length);
        }
        byte[] replay = sent[150].clone();
        assertEquals(SrtpException.Reason.REPLAYED, refusal(() -> receiver.unprotectRtp(replay, 0, replay.length)));
        byte[] tooOld = sent[100].clone();
        assertEquals(SrtpException.Reason.TOO_OLD, refusal(() -> receiver.unprotectRtp(tooOld, 0, tooOld.length)));

        SrtpContext reordered = context(profile);
        reordered.unprotectRtp(sent[199].clone(), 0, sent[199].length);
        reordered.unprotectRtp(sent[140].clone(), 0, sent[140].length);
        byte[] again = sent[140].clone();
        assertEquals(SrtpException.Reason.REPLAYED, refusal(() -> reordered.unprotectRtp(again, 0, again.length)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpReplaysAreRefused(SrtpProfile profile) throws SrtpException {
        byte[] report = receiverReport(SSRC);
        int length = context(profile).protectRtcp(report, 0, rtcpLength(report));
        SrtpContext receiver = context(profile);
        receiver.unprotectRtcp(report.clone(), 0, length);
        assertEquals(SrtpException.Reason.REPLAYED, refusal(() -> receiver.unprotectRtcp(report.clone(), 0, length)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aForgedPacketMovesNoWindowAndAddsNoStream(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        byte[] genuine = protect(sender, 10);
        byte[] forged = protect(context(profile, 9), 30000);
        SrtpContext receiver = context(profile);
        assertEquals(SrtpException.Reason.AUTH_FAILED, refusal(() -> receiver.unprotectRtp(forged, 0, forged.length)));
        assertEquals(-1, receiver.rolloverCounter(SSRC), "no stream for a packet that failed authentication");
        receiver.unprotectRtp(genuine, 0, genuine.length);
        assertEquals(0, receiver.rolloverCounter(SSRC));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedAndMalformedPacketsAreRefused(SrtpProfile profile) throws SrtpException {
        SrtpContext receiver = context(profile);
        byte[] packet = protect(context(profile), 1);
        assertEquals(SrtpException.Reason.TRUNCATED, refusal(() -> receiver.unprotectRtp(packet, 0, 11)));
        assertEquals(SrtpException.Reason.TRUNCATED,
                refusal(() -> receiver.unprotectRtp(packet, 0, 12 + profile.tagLength() - 1)));
        assertEquals(SrtpException.Reason.AUTH_FAILED,
                refusal(() -> receiver.unprotectRtp(packet, 0, packet.length - 1)), "a shortened payload");
        byte[] version1 = packet.clone();
        version1[0] = 0x40;
        assertEquals(SrtpException.Reason.MALFORMED, refusal(() -> receiver.unprotectRtp(version1, 0, 40)));
        byte[] longExtension = rtp(1, SSRC, 40, 0, 0);
        longExtension[14] = (byte) 0xff;
        assertEquals(SrtpException.Reason.MALFORMED,
                refusal(() -> receiver.unprotectRtp(longExtension, 0, rtpLength(longExtension))));
        byte[] manyCsrcs = rtp(1, SSRC, 0, 0, -1);
        manyCsrcs[0] = (byte) 0x8f;
        assertEquals(SrtpException.Reason.MALFORMED, refusal(() -> context(profile).protectRtp(manyCsrcs, 0, 12)));

        byte[] report = receiverReport(SSRC);
        assertEquals(SrtpException.Reason.TRUNCATED,
                refusal(() -> receiver.unprotectRtcp(report, 0, 8 + profile.rtcpOverhead() - 1)));
        assertEquals(SrtpException.Reason.TRUNCATED, refusal(() -> context(profile).protectRtcp(report, 0, 7)));
        assertEquals(SrtpException.Reason.MALFORMED, refusal(() -> receiver.unprotectRtcp(new byte[40], 0, 40)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectionNeedsRoomForTheTag(SrtpProfile profile) {
        byte[] packet = Arrays.copyOf(rtp(1, SSRC, 100, 0, -1), 112 + profile.rtpOverhead() - 1);
        assertEquals(SrtpException.Reason.NO_ROOM, refusal(() -> context(profile).protectRtp(packet, 0, 112)));
        byte[] report = Arrays.copyOf(receiverReport(SSRC), 32 + profile.rtcpOverhead() - 1);
        assertEquals(SrtpException.Reason.NO_ROOM, refusal(() -> context(profile).protectRtcp(report, 0, 32)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void theRolloverCounterIncrementsWhenSequenceNumbersWrap(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        byte[] afterWrap = null;
        for (int seq : new int[] {65533, 65534, 65535, 0, 1, 2}) {
            byte[] packet = protect(sender, seq);
            if (seq == 0) {
                afterWrap = packet.clone();
            }
            receiver.unprotectRtp(packet, 0, packet.length);
        }
        assertEquals(1, sender.rolloverCounter(SSRC));
        assertEquals(1, receiver.rolloverCounter(SSRC));

        // Sequence number 0 went out with ROC 1: a receiver that starts there assumes ROC 0 and cannot verify it.
        byte[] wrapped = afterWrap;
        assertEquals(SrtpException.Reason.AUTH_FAILED,
                refusal(() -> context(profile).unprotectRtp(wrapped, 0, wrapped.length)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aLatePacketFromBeforeTheWrapKeepsItsRolloverCounter(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        SrtpContext receiver = context(profile);
        byte[] beforeWrap = protect(sender, 65535);
        byte[] afterWrap = protect(sender, 0);
        receiver.unprotectRtp(protect(sender, 65534), 0, 0 + rtpLength(rtp(0, SSRC, 160, 0, -1))
                + profile.rtpOverhead());
        receiver.unprotectRtp(afterWrap, 0, afterWrap.length);
        receiver.unprotectRtp(beforeWrap, 0, beforeWrap.length);
        assertEquals(1, receiver.rolloverCounter(SSRC));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void theSenderNeverProtectsAnIndexTwice(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        protect(sender, 5);
        protect(sender, 7);
        protect(sender, 6);
        assertEquals(SrtpException.Reason.INDEX_REUSED, refusal(() -> protect(sender, 6)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aContextTracksABoundedNumberOfSsrcs(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        for (int ssrc = 0; ssrc < SrtpContext.MAX_STREAMS; ssrc++) {
            byte[] packet = rtp(1, ssrc, 10, 0, -1);
            sender.protectRtp(packet, 0, rtpLength(packet));
        }
        byte[] oneMore = rtp(1, SrtpContext.MAX_STREAMS, 10, 0, -1);
        assertEquals(SrtpException.Reason.TOO_MANY_STREAMS,
                refusal(() -> sender.protectRtp(oneMore, 0, rtpLength(oneMore))));
    }
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aRetransmissionOfASentPacketIsProtectedToTheSameBytes(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        protect(sender, 9);
        byte[] first = protect(sender, 10);
        protect(sender, 11);
        byte[] again = rtp(10, SSRC, 160, 0, -1);
        int length = sender.protectRtpRetransmission(again, 0, rtpLength(again));
        // Same index, same plaintext: same ciphertext and tag, so no keystream meets a second plaintext.
        assertArrayEquals(first, Arrays.copyOf(again, length));
        // A receiver that lost the first sending decrypts the repeat; one that had it refuses it as a replay.
        SrtpContext lostIt = context(profile);
        byte[] repeat = Arrays.copyOf(again, again.length);
        assertEquals(rtpLength(rtp(10, SSRC, 160, 0, -1)), lostIt.unprotectRtp(repeat, 0, length));
        SrtpContext hadIt = context(profile);
        byte[] original = first.clone();
        hadIt.unprotectRtp(original, 0, original.length);
        byte[] duplicate = Arrays.copyOf(again, again.length);
        assertEquals(SrtpException.Reason.REPLAYED, refusal(() -> hadIt.unprotectRtp(duplicate, 0, length)));
        // Repeats do not move the sender: the next new packet still protects, and 11 is still refused as new.
        protect(sender, 12);
        assertEquals(SrtpException.Reason.INDEX_REUSED, refusal(() -> protect(sender, 11)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aRetransmissionOfANeverSentPacketIsRefused(SrtpProfile profile) throws SrtpException {
        SrtpContext sender = context(profile);
        byte[] unknownSsrc = rtp(10, SSRC, 160, 0, -1);
        assertEquals(SrtpException.Reason.TOO_OLD,
                refusal(() -> sender.protectRtpRetransmission(unknownSsrc, 0, rtpLength(unknownSsrc))));
        protect(sender, 10);
        byte[] newer = rtp(11, SSRC, 160, 0, -1);
        assertEquals(SrtpException.Reason.TOO_OLD,
                refusal(() -> sender.protectRtpRetransmission(newer, 0, rtpLength(newer))));
        byte[] truncated = rtp(10, SSRC, 0, 0, -1);
        assertEquals(SrtpException.Reason.TRUNCATED,
                refusal(() -> sender.protectRtpRetransmission(truncated, 0, 8)));
    }
}
