package io.liveshard.protocol.rtmp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server side of the RTMP handshake (Adobe RTMP specification 1.0, section 5.2,
 * https://rtmp.veriskope.com/docs/spec/): reads C0 and C1, answers S0, S1 and S2 at once, then reads C2.
 *
 * <p>When C1 carries a valid Flash Player digest (scheme 0 or 1, see {@link RtmpHandshakeDigest}) the answer is the
 * "complex" handshake FMS gives: S1 signed with the server key under the client's scheme, S2 signed with a key
 * derived from C1's digest. Otherwise S2 echoes C1 as the specification describes. C2 is read but not checked:
 * clients differ in what they put there and nothing depends on it.
 */
public final class RtmpHandshake {

    /** What one call to {@link #decode} produced. */
    public enum Result {
        /** Waiting for the rest of C0, C1 or C2. */
        NEED_MORE_BYTES,
        /** C2 was read; chunks follow. */
        DONE,
        /** Not an RTMP client; see {@link #failureReason()}. Terminal. */
        BAD_MESSAGE
    }

    private enum State { C0_C1, C2, DONE, BAD_MESSAGE }

    /** The only protocol version the specification defines, in C0 (section 5.2.2). */
    public static final int RTMP_VERSION = 3;

    /** Version field S1 carries in a complex handshake: FMS 4.5.0.1, what ffmpeg and librtmp check against. */
    private static final int SERVER_VERSION = 0x04050001;

    private static final byte[] NO_OUTPUT = new byte[0];

    private State state = State.C0_C1;
    private byte[] output = NO_OUTPUT;
    private String failureReason;
    private boolean digestHandshake;

    /** Consumes handshake bytes only; whatever follows C2 stays in the buffer for the chunk decoder. */
    public Result decode(ByteBuffer in) {
        if (state == State.C0_C1) {
            if (!in.hasRemaining()) {
                return Result.NEED_MORE_BYTES;
            }
            int version = in.get(in.position()) & 0xFF;
            if (version != RTMP_VERSION) {
                return fail("client asked for RTMP version " + version + ", only " + RTMP_VERSION + " exists");
            }
            if (in.remaining() < 1 + RtmpHandshakeDigest.PACKET_SIZE) {
                return Result.NEED_MORE_BYTES;
            }
            in.get();
            byte[] c1 = new byte[RtmpHandshakeDigest.PACKET_SIZE];
            in.get(c1);
            output = respond(c1);
            state = State.C2;
        }
        if (state == State.C2) {
            if (in.remaining() < RtmpHandshakeDigest.PACKET_SIZE) {
                return Result.NEED_MORE_BYTES;
            }
            in.position(in.position() + RtmpHandshakeDigest.PACKET_SIZE);
            state = State.DONE;
        }
        return state == State.DONE ? Result.DONE : Result.BAD_MESSAGE;
    }

    /** Bytes to send now (S0, S1 and S2 once C1 arrived), each returned once; empty when there is nothing. */
    public byte[] takeOutput() {
        byte[] taken = output;
        output = NO_OUTPUT;
        return taken;
    }

    public String failureReason() {
        return failureReason;
    }

    /** Whether the client used the digest ("complex") handshake; meaningful once C1 was read. */
    public boolean isDigestHandshake() {
        return digestHandshake;
    }

    private byte[] respond(byte[] c1) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] s1 = new byte[RtmpHandshakeDigest.PACKET_SIZE];
        random.nextBytes(s1);
        // Time 0: the spec lets the epoch be anything, and zero leaks nothing about the server's clock.
        Arrays.fill(s1, 0, 4, (byte) 0);
        byte[] s2;
        // A C1 with a zero version field is a simple handshake by definition (section 5.2.3); no digest to look for.
        boolean zeroVersion = c1[4] == 0 && c1[5] == 0 && c1[6] == 0 && c1[7] == 0;
        Optional<Integer> scheme = zeroVersion ? Optional.empty() : RtmpHandshakeDigest.findClientScheme(c1);
        if (scheme.isPresent()) {
            digestHandshake = true;
            ByteBuffer.wrap(s1, 4, 4).putInt(SERVER_VERSION);
            RtmpHandshakeDigest.signServerPacket(s1, scheme.get());
            int c1DigestOffset = RtmpHandshakeDigest.digestOffset(c1, scheme.get());
            byte[] c1Digest = Arrays.copyOfRange(c1, c1DigestOffset, c1DigestOffset + RtmpHandshakeDigest.DIGEST_SIZE);
            s2 = new byte[RtmpHandshakeDigest.PACKET_SIZE];
            random.nextBytes(s2);
            RtmpHandshakeDigest.signResponse(s2, c1Digest);
        } else {
            Arrays.fill(s1, 4, 8, (byte) 0);
            s2 = c1.clone();
        }
        byte[] reply = new byte[1 + 2 * RtmpHandshakeDigest.PACKET_SIZE];
        reply[0] = RTMP_VERSION;
        System.arraycopy(s1, 0, reply, 1, s1.length);
        System.arraycopy(s2, 0, reply, 1 + s1.length, s2.length);
        return reply;
    }

    private Result fail(String reason) {
        failureReason = reason;
        state = State.BAD_MESSAGE;
        return Result.BAD_MESSAGE;
    }
}
