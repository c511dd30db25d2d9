package io.liveshard.protocol.srtp;

import java.util.HexFormat;

/** Builds RTP and RTCP packets with spare room after them, as the egress path hands them to SRTP. */
final class SrtpTestPackets {

    static final int ROOM = 64;

    private SrtpTestPackets() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes, int off, int len) {
        return HexFormat.of().formatHex(bytes, off, off + len);
    }

    /** An RTP packet of version 2, payload type 96, with {@code csrcs} CSRCs and an extension of {@code extWords}. */
    static byte[] rtp(int seq, int ssrc, int payloadLength, int csrcs, int extWords) {
        int header = 12 + 4 * csrcs + (extWords >= 0 ? 4 + 4 * extWords : 0);
        byte[] packet = new byte[header + payloadLength + ROOM];
        packet[0] = (byte) (0x80 | (extWords >= 0 ? 0x10 : 0) | csrcs);
        packet[1] = 96;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        SrtpTransform.writeInt(packet, 4, seq * 3000);
        SrtpTransform.writeInt(packet, 8, ssrc);
        int at = 12;
        for (int i = 0; i < csrcs; i++, at += 4) {
            SrtpTransform.writeInt(packet, at, 0x1000 + i);
        }
        if (extWords >= 0) {
            packet[at] = (byte) 0xbe;
            packet[at + 1] = (byte) 0xde;
            packet[at + 3] = (byte) extWords;
            at += 4;
            for (int i = 0; i < 4 * extWords; i++) {
                packet[at++] = (byte) (0x20 + i);
            }
        }
        for (int i = 0; i < payloadLength; i++) {
            packet[header + i] = (byte) (i * 7 + seq);
        }
        return packet;
    }

    static int rtpLength(byte[] packet) {
        return packet.length - ROOM;
    }

    /** A receiver report (RFC 3550 section 6.4.2) with one report block: 32 octets. */
    static byte[] receiverReport(int ssrc) {
        byte[] packet = new byte[32 + ROOM];
        packet[0] = (byte) 0x81;
        packet[1] = (byte) 201;
        packet[3] = 7;
        SrtpTransform.writeInt(packet, 4, ssrc);
        for (int i = 8; i < 32; i++) {
            packet[i] = (byte) i;
        }
        return packet;
    }

    static int rtcpLength(byte[] packet) {
        return packet.length - ROOM;
    }
}
