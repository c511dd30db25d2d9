package io.liveshard.protocol.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.rtp.RtpTestMedia.H264Stream;

import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real FFmpeg as an RTP receiver: the fixture is packetized, sent over UDP on 127.0.0.1 to an {@code ffmpeg}
 * reading an SDP file, and the pictures it decodes must be bit-identical (frame MD5s) to those it decodes from the
 * FLV file itself. That proves the packetization, not just the packet layout, to an independent implementation.
 * Both runs pass every decoded picture through ({@code -fps_mode passthrough}): RTP carries no decode timestamps,
 * and FFmpeg's frame rate guess for it would otherwise drop pictures it deems duplicates.
 */
class RtpFfmpegTest {

    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final long BIND_TIMEOUT_MILLIS = 15_000;
    private static final long DECODE_TIMEOUT_SECONDS = 60;
    private static final int PAYLOAD_TYPE = 96;
    private static final int FRAMES = 15;

    @TempDir
    Path dir;

    @Test
    void ffmpegDecodesTheSamePicturesFromOurRtpAsFromTheFlvFile() throws Exception {
        assertTrue(Files.isExecutable(FFMPEG), FFMPEG + " is missing: install it with `apt-get install -y ffmpeg`");
        Path flv = Files.write(dir.resolve("fixture.flv"), RtpTestMedia.resource(RtpTestMedia.FLV_FIXTURE));
        List<String> expected = frameMd5s(run(List.of(FFMPEG.toString(), "-v", "error", "-i", flv.toString(), "-map",
                "0:v", "-fps_mode", "passthrough", "-frames:v", Integer.toString(FRAMES), "-f", "framemd5", "-"),
                null));
        assertEquals(FRAMES, expected.size());

        int port = freeEvenPortPair();
        Path sdp = Files.writeString(dir.resolve("stream.sdp"), String.join("\r\n",
                "v=0",
                "o=- 0 0 IN IP4 127.0.0.1",
                "s=LiveShard RTP test",
                "c=IN IP4 127.0.0.1",
                "t=0 0",
                "m=video " + port + " RTP/AVP " + PAYLOAD_TYPE,
                "a=rtpmap:" + PAYLOAD_TYPE + " H264/90000",
                "a=fmtp:" + PAYLOAD_TYPE + " packetization-mode=1",
                ""));
        List<String> received = frameMd5s(run(List.of(FFMPEG.toString(), "-v", "error", "-protocol_whitelist",
                "file,udp,rtp", "-i", sdp.toString(), "-fps_mode", "passthrough", "-frames:v", Integer.toString(FRAMES),
                "-f", "framemd5", "-"), port));

        assertEquals(expected, received, "the same pictures, bit for bit");
    }

    /** Sends the fixture twice in a row (the second time 2 s later in media time) so the decoder can flush. */
    private static void send(int port) throws Exception {
        H264Stream stream = RtpTestMedia.fixture();
        RtpH264Packetizer packetizer = new RtpH264Packetizer(RtpPacketizerConfig.DEFAULT);
        packetizer.configure(stream.config());
        RtpPacketWriter writer = new RtpPacketWriter(0x4C495645L, PAYLOAD_TYPE, 65_000, 0xFFFF_0000L);
        byte[] buffer = new byte[RtpPacketizerConfig.DEFAULT_MAX_PACKET_SIZE];
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int copy = 0; copy < 2; copy++) {
                for (MediaFrame frame : stream.accessUnits()) {
                    RtpPacketizedFrame packets = packetizer.packetize(frame.withDts(frame.dts() + 2000L * copy));
                    for (int i = 0; i < packets.packetCount(); i++) {
                        int length = writer.write(packets, i, buffer, 0);
                        socket.send(new DatagramPacket(buffer, 0, length, target));
                    }
                    Thread.sleep(5); // gentle on the receiver's socket buffer
                }
            }
        }
    }

    /** Runs a tool to its end; with {@code rtpPort}, sends the RTP stream once the tool has bound that port. */
    private String run(List<String> command, Integer rtpPort) throws Exception {
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (rtpPort != null) {
                awaitBound(process, rtpPort, stderr);
                send(rtpPort);
            }
            if (!process.waitFor(DECODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("ffmpeg did not finish within " + DECODE_TIMEOUT_SECONDS + " s: " + Files.readString(stderr));
            }
            assertEquals(0, process.exitValue(), Files.readString(stderr));
            assertEquals("", Files.readString(stderr), "ffmpeg reports no errors");
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until the port can no longer be bound: the tool is listening on it. */
    private static void awaitBound(Process process, int port, Path stderr) throws Exception {
        long deadline = System.currentTimeMillis() + BIND_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                fail("ffmpeg ended before listening: " + Files.readString(stderr));
            }
            try (DatagramSocket probe = new DatagramSocket(null)) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (BindException listening) {
                return;
            }
            Thread.sleep(50);
        }
        fail("ffmpeg did not bind UDP port " + port + " within " + BIND_TIMEOUT_MILLIS + " ms");
    }

    /** An even port whose odd neighbour (RTCP, RFC 3550 11) is free too. */
    private static int freeEvenPortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (DatagramSocket any = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = any.getLocalPort() & ~1;
            }
            try (DatagramSocket rtp = new DatagramSocket(port, InetAddress.getLoopbackAddress());
                 DatagramSocket rtcp = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (BindException taken) {
                // try another pair
            }
        }
        throw new IOException("no free even/odd UDP port pair on 127.0.0.1");
    }

    /** The MD5 column of framemd5 output, one entry per decoded picture. */
    private static List<String> frameMd5s(String framemd5) {
        return framemd5.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.substring(line.lastIndexOf(',') + 1).trim()).toList();
    }
}
