package io.liveshard.protocol.rtp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An independent, deliberately simple RFC 6184 receiver for the tests: reads whole RTP packets (its own header
 * parsing, not {@link RtpHeader}'s), reassembles single NAL unit, STAP-A and FU-A packets into NAL units and groups
 * them into access units by the marker bit. It fails loudly on anything a strict receiver would reject: an FU-A
 * without a start, a start inside a fragmented NAL unit, mixed timestamps within an access unit, STAP-A sizes that
 * overrun, sequence gaps.
 */
final class RtpH264TestDepacketizer {

    /** A reassembled access unit. */
    record AccessUnit(long timestamp, List<byte[]> nalUnits) {
    }

    private final List<AccessUnit> accessUnits = new ArrayList<>();
    private List<byte[]> current = new ArrayList<>();
    private long currentTimestamp = -1;
    private ByteArrayOutputStream fragment;
    private int expectedSequence = -1;

    /** Feeds one RTP packet, header included. */
    void accept(byte[] packet) {
        check(packet.length >= 12, "packet shorter than an RTP header");
        check((packet[0] & 0xC0) == 0x80, "RTP version 2");
        check((packet[0] & 0x3F) == 0, "no padding, extension or CSRCs from LiveShard");
        boolean marker = (packet[1] & 0x80) != 0;
        int sequence = ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
        long timestamp = ((packet[4] & 0xFFL) << 24) | ((packet[5] & 0xFF) << 16) | ((packet[6] & 0xFF) << 8)
                | (packet[7] & 0xFF);
        check(expectedSequence < 0 || sequence == expectedSequence, "sequence " + sequence + " follows "
                + expectedSequence);
        expectedSequence = (sequence + 1) & 0xFFFF;
        check(currentTimestamp < 0 || timestamp == currentTimestamp, "one timestamp per access unit");
        currentTimestamp = timestamp;
        byte[] payload = Arrays.copyOfRange(packet, 12, packet.length);
        check(payload.length > 0, "empty payload");
        int type = payload[0] & 0x1F;
        if (type >= 1 && type <= 23) {
            check(fragment == null, "single NAL unit inside an unfinished FU-A");
            current.add(payload);
        } else if (type == 24) {
            check(fragment == null, "STAP-A inside an unfinished FU-A");
            int position = 1;
            int nri = 0;
            while (position < payload.length) {
                check(payload.length - position >= 2, "STAP-A size field truncated");
                int size = ((payload[position] & 0xFF) << 8) | (payload[position + 1] & 0xFF);
                position += 2;
                check(size > 0 && payload.length - position >= size, "STAP-A NAL unit overruns");
                current.add(Arrays.copyOfRange(payload, position, position + size));
                nri = Math.max(nri, payload[position] & 0x60);
                position += size;
            }
            check((payload[0] & 0x60) == nri, "STAP-A NRI is the highest of its NAL units'");
        } else if (type == 28) {
            check(payload.length > 2, "FU-A without data");
            int fuHeader = payload[1] & 0xFF;
            boolean start = (fuHeader & 0x80) != 0;
            boolean end = (fuHeader & 0x40) != 0;
            check((fuHeader & 0x20) == 0, "FU-A reserved bit");
            check(!(start && end), "an FU-A is never both start and end");
            if (start) {
                check(fragment == null, "FU-A start inside an unfinished FU-A");
                fragment = new ByteArrayOutputStream();
                fragment.write((payload[0] & 0xE0) | (fuHeader & 0x1F));
            } else {
                check(fragment != null, "FU-A continuation without a start");
            }
            fragment.write(payload, 2, payload.length - 2);
            if (end) {
                current.add(fragment.toByteArray());
                fragment = null;
            }
        } else {
            throw new AssertionError("unexpected RTP H.264 packet type " + type);
        }
        if (marker) {
            check(fragment == null, "marker inside an unfinished FU-A");
            accessUnits.add(new AccessUnit(timestamp, current));
            current = new ArrayList<>();
            currentTimestamp = -1;
        }
    }

    List<AccessUnit> accessUnits() {
        check(current.isEmpty() && fragment == null, "the last access unit ended with a marker");
        return accessUnits;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("RFC 6184 depacketizer: " + what);
        }
    }
}
