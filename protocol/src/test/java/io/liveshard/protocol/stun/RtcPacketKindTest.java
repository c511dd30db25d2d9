package io.liveshard.protocol.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcPacketKindTest {

    /** The boundaries of RFC 7983 section 7's ranges, and the ranges this server does not serve. */
    @ParameterizedTest(name = "first byte {0} is {1}")
    @CsvSource({
        "0, STUN", "1, STUN", "3, STUN",
        "4, UNKNOWN", "16, UNKNOWN", "19, UNKNOWN",
        "20, DTLS", "22, DTLS", "63, DTLS",
        "64, UNKNOWN", "79, UNKNOWN", "127, UNKNOWN",
        "128, RTP_OR_RTCP", "144, RTP_OR_RTCP", "191, RTP_OR_RTCP",
        "192, UNKNOWN", "255, UNKNOWN"})
    void classifiesByFirstByte(int firstByte, RtcPacketKind expected) {
        byte[] packet = {(byte) firstByte, 0, 0, 0};
        assertEquals(expected, RtcPacketKind.classify(packet, 0, packet.length));
        assertEquals(expected == RtcPacketKind.STUN, StunDemux.isStun(packet, 0, packet.length));
    }

    @Test
    void emptyDatagramIsUnknown() {
        assertEquals(RtcPacketKind.UNKNOWN, RtcPacketKind.classify(new byte[4], 2, 0));
        assertFalse(StunDemux.isStun(new byte[0], 0, 0));
    }

    @Test
    void readsAtTheOffset() {
        byte[] buffer = {(byte) 0x80, 0x16, 0x00};
        assertEquals(RtcPacketKind.RTP_OR_RTCP, RtcPacketKind.classify(buffer, 0, 3));
        assertEquals(RtcPacketKind.DTLS, RtcPacketKind.classify(buffer, 1, 2));
        assertTrue(StunDemux.isStun(buffer, 2, 1));
        assertTrue(StunDemux.isStun(StunRfc5769Vectors.SAMPLE_REQUEST, 0, StunRfc5769Vectors.SAMPLE_REQUEST.length));
    }
}
