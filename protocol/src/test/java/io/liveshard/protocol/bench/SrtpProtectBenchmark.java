package io.liveshard.protocol.bench;

import io.liveshard.protocol.srtp.SrtpContext;
import io.liveshard.protocol.srtp.SrtpException;
import io.liveshard.protocol.srtp.SrtpProfile;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-viewer SRTP cost: protecting one RTP packet of {@code payload} octets (1188 is a full 1200-octet datagram
 * after the 12-octet header) with each profile, against the textbook AES-CM that re-initialises an
 * {@code AES/CTR} cipher with a new IV per packet. The sequence number advances every operation so every index is
 * fresh, as on the wire.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SrtpProtectBenchmark {

    private static final int HEADER = 12;

    @Param({"160", "1188"})
    public int payload;

    private SrtpContext aesCm;
    private SrtpContext gcm;
    private Cipher ctr;
    private SecretKeySpec ctrKey;
    private Mac hmac;
    private byte[] iv;
    private byte[] tag;
    private byte[] packet;
    private int seq;

    @Setup
    public void setUp() throws GeneralSecurityException {
        aesCm = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, new byte[16], new byte[14]);
        gcm = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[12]);
        ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctrKey = new SecretKeySpec(new byte[16], "AES");
        hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(new byte[20], "HmacSHA1"));
        iv = new byte[16];
        tag = new byte[20];
        packet = new byte[HEADER + payload + 16];
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[11] = 1;
    }

    private int nextPacket() {
        seq = (seq + 1) & 0xffff;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        return HEADER + payload;
    }

    /** This module's AES-CM: ECB keystream from a cipher keyed once, no allocation. */
    @Benchmark
    public int aesCmEcbKeystream() throws SrtpException {
        return aesCm.protectRtp(packet, 0, nextPacket());
    }

    /** AES-GCM through the JDK: one init and one GCMParameterSpec per packet. */
    @Benchmark
    public int aesGcm() throws SrtpException {
        return gcm.protectRtp(packet, 0, nextPacket());
    }

    /** The alternative to the ECB keystream: AES/CTR re-initialised with a new IV per packet, same HMAC. */
    @Benchmark
    public int aesCmCtrReinit() throws GeneralSecurityException {
        int length = nextPacket();
        iv[12] = (byte) (seq >>> 8);
        iv[13] = (byte) seq;
        ctr.init(Cipher.ENCRYPT_MODE, ctrKey, new IvParameterSpec(iv));
        ctr.doFinal(packet, HEADER, payload, packet, HEADER);
        hmac.update(packet, 0, length);
        hmac.doFinal(tag, 0);
        System.arraycopy(tag, 0, packet, length, 10);
        return length + 10;
    }
}
