package io.liveshard.node.testkit;

import io.liveshard.protocol.dtls.DtlsDatagramTransport;
import io.liveshard.protocol.dtls.DtlsFingerprint;
import io.liveshard.protocol.dtls.DtlsSrtpClient;
import io.liveshard.protocol.dtls.DtlsSrtpKeys;
import io.liveshard.protocol.rtcp.RtcpWriter;
import io.liveshard.protocol.srtp.SrtpContext;
import io.liveshard.protocol.srtp.SrtpException;
import io.liveshard.protocol.stun.StunAttribute;
import io.liveshard.protocol.stun.StunException;
import io.liveshard.protocol.stun.StunLimits;
import io.liveshard.protocol.stun.StunMessage;
import io.liveshard.protocol.stun.StunMessageIntegrity;
import io.liveshard.protocol.stun.StunMessageType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebRTC viewer of artc without a browser, everything real on 127.0.0.1: a WHEP POST with a recvonly offer as
 * Chrome writes it (H.264 with rtx, nack, pli and fir; Opus; rtcp-mux; its own certificate's fingerprint), ICE as
 * the controlling agent (STUN binding requests with USERNAME, MESSAGE-INTEGRITY and FINGERPRINT, repeated as
 * consent checks), a BouncyCastle DTLS client with {@code use_srtp}, and SRTP/SRTCP decryption of everything the
 * node sends. Feedback (generic NACK, PLI) goes back as real SRTCP.
 *
 * <p>Every packet is authenticated and decrypted. Counters are written by the loop's reader thread only and read by
 * others; packets are copied only when the client {@linkplain Options#keepPackets() keeps} them for a test.
 */
public final class ArtcTestClient implements AutoCloseable {

    /**
     * How a client behaves.
     *
     * @param consentInterval time between consent checks (browsers: about 5 s, RFC 7675 section 5.1)
     * @param keepPackets     copy received media packets into {@link #received()} for a test to inspect
     */
    public record Options(Duration consentInterval, boolean keepPackets) {

        public static Options forTests() {
            return new Options(Duration.ofSeconds(1), true);
        }
    }

    /** A decrypted media packet (RTP header fields and the payload after the header), when packets are kept. */
    public record Received(int payloadType, int sequenceNumber, long timestamp, long ssrc, boolean marker,
                           byte[] payload, int socketIndex, long arrivalNanos) {

        /** RFC 4588 section 4: an RTX payload starts with the original sequence number. */
        public int originalSequenceNumber() {
            return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }
    }

    /** Packets a {@link Options#keepPackets()} client holds before it drops the newest. */
    static final int MAX_KEPT_PACKETS = 20_000;
    /** Sockets one client may move through (consent tests move it once or twice). */
    static final int MAX_SOCKETS = 4;
    /** Media that arrives between the node's and the client's end of the handshake, kept until keys exist. */
    private static final int MAX_EARLY_PACKETS = 256;
    private static final int RTP_HEADER = 12;
    private static final int SRTCP_ROOM = 64;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SSRC = Pattern.compile("a=ssrc:(\\d+) ");

    private final ArtcClientLoop loop;
    private final Options options;
    private final String localUfrag;
    private final String localPassword;
    private final long ssrc;
    private final long tieBreaker;
    private final String baseUrl;
    private final String whepPath;
    private final BlockingQueue<Received> received;
    private final CountDownLatch iceDone = new CountDownLatch(1);
    private final DatagramChannel[] sockets = new DatagramChannel[MAX_SOCKETS];
    private final long[] packetsBySocket = new long[MAX_SOCKETS];
    private final List<byte[]> early = new ArrayList<>();

    private volatile int socketCount;
    private volatile boolean consentPaused;
    private volatile boolean closed;
    private long nextConsentNanos;
    private String location;
    private Answer answer;
    private InetSocketAddress server;
    private DtlsDatagramTransport dtlsTransport;
    private DtlsSrtpClient dtls;
    private volatile SrtpContext incoming;
    private SrtpContext outgoing;
    private volatile long postNanos;
    private volatile long firstVideoNanos;
    private final SequenceTrack video = new SequenceTrack();
    private final SequenceTrack audio = new SequenceTrack();
    private volatile long videoPackets;
    private volatile long audioPackets;
    private volatile long rtxPackets;
    private volatile long rtcpPackets;
    private volatile long refusedPackets;
    private volatile long keyframeReplays;
    private volatile long videoSsrc = -1;
    private long highestVideoTimestamp;
    private boolean videoTimestampSeen;
    private long lastReplayTimestamp;
    private boolean replaySeen;
    private volatile long lastMediaNanos;
    private volatile long windowStartNanos = Long.MAX_VALUE;
    private volatile long windowEndNanos = Long.MAX_VALUE;

    private ArtcTestClient(ArtcClientLoop loop, Options options, String host, int httpPort, String app,
                           String stream) {
        this.loop = loop;
        this.options = options;
        this.localUfrag = iceString(8);
        this.localPassword = iceString(24);
        this.ssrc = loop.random().nextInt() & 0xFFFF_FFFFL;
        this.tieBreaker = loop.random().nextLong();
        this.baseUrl = "http://" + host + ":" + httpPort;
        this.whepPath = "/" + app + "/" + stream + "/whep";
        this.received = new ArrayBlockingQueue<>(options.keepPackets() ? MAX_KEPT_PACKETS : 1);
    }

    /**
     * Offers, connects ICE and DTLS, and returns once SRTP keys exist (media may already be arriving).
     *
     * @throws IOException naming the step that failed (WHEP status and body, ICE, DTLS)
     */
    public static ArtcTestClient connect(ArtcClientLoop loop, Options options, String host, int httpPort,
                                         String app, String stream) throws IOException, InterruptedException {
        ArtcTestClient client = new ArtcTestClient(loop, options, host, httpPort, app, stream);
        try {
            client.offerAndConnect();
            return client;
        } catch (IOException | InterruptedException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void offerAndConnect() throws IOException, InterruptedException {
        String fingerprint = loop.certificate().fingerprint().toSdp();
        postNanos = System.nanoTime();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + whepPath))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer(localUfrag, localPassword, fingerprint))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("whep POST " + whepPath + ": HTTP " + response.statusCode() + " "
                    + response.body().strip());
        }
        location = response.headers().firstValue("Location").orElseThrow(() ->
                new IOException("whep POST " + whepPath + ": 201 without Location"));
        answer = Answer.parse(response.body());
        server = new InetSocketAddress(answer.candidateAddress(), answer.candidatePort());
        dtlsTransport = new DtlsDatagramTransport((buf, off, len) ->
                currentSocket().send(ByteBuffer.wrap(buf, off, len), server));
        openSocket();
        loop.add(this);
        sendConsentCheck();
        // The timer retransmits the check every consent interval; the first answer starts DTLS.
        if (!iceDone.await(10, TimeUnit.SECONDS)) {
            throw new IOException("ice: no binding success response from " + server + " within 10 s");
        }
        dtls = new DtlsSrtpClient(loop.certificate(), DtlsFingerprint.parse(answer.fingerprint()), loop.random());
        DtlsSrtpKeys keys = dtls.connect(dtlsTransport);
        synchronized (this) {
            outgoing = keys.newSendingContext();
        }
        incoming = keys.newReceivingContext();
    }

    /** A client opened on {@code loop}'s blocking pool, for tools opening many at once. */
    public static java.util.concurrent.CompletableFuture<ArtcTestClient> connectAsync(ArtcClientLoop loop,
            Options options, String host, int httpPort, String app, String stream) {
        java.util.concurrent.CompletableFuture<ArtcTestClient> result = new java.util.concurrent.CompletableFuture<>();
        loop.blocking().execute(() -> {
            try {
                result.complete(connect(loop, options, host, httpPort, app, stream));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The WHEP resource of this session, e.g. {@code /live/x/whep/1abc}. */
    public String location() {
        return location;
    }

    public int videoPayloadType() {
        return answer.videoPayloadType();
    }

    /** The rtx payload type the answer paired with H.264, or -1. */
    public int rtxPayloadType() {
        return answer.rtxPayloadType();
    }

    /** The Opus payload type of the answer, or -1 when it has no audio. */
    public int audioPayloadType() {
        return answer.audioPayloadType();
    }

    /** The SSRCs the answer announces, in order (video, its RTX, audio for LiveShard). */
    public List<Long> announcedSsrcs() {
        return answer.ssrcs();
    }

    /** The kept packets, oldest first (only with {@link Options#keepPackets()}). */
    public BlockingQueue<Received> received() {
        return received;
    }

    public long videoPackets() {
        return videoPackets;
    }

    public long audioPackets() {
        return audioPackets;
    }

    public long rtxPackets() {
        return rtxPackets;
    }

    public long rtcpPackets() {
        return rtcpPackets;
    }

    /** SRTP or SRTCP packets that failed authentication or replay checks. */
    public long refusedPackets() {
        return refusedPackets;
    }

    /** Keyframes that arrived with an RTP timestamp older than the newest one seen: the start of a GOP replay. */
    public long keyframeReplays() {
        return keyframeReplays;
    }

    /** The video SSRC, from the first decrypted video packet; -1 before. */
    public long videoSsrc() {
        return videoSsrc;
    }

    /** Media packets that arrived on socket {@code index} (0 is the first, {@link #moveToNewSocket} adds one). */
    public long packetsOnSocket(int index) {
        return packetsBySocket[index];
    }

    /** {@link System#nanoTime()} of the latest media packet, 0 before the first. */
    public long lastMediaNanos() {
        return lastMediaNanos;
    }

    /** From the WHEP POST to the first decrypted video packet, in nanoseconds; -1 before it. */
    public long timeToFirstVideoNanos() {
        long first = firstVideoNanos;
        return first == 0 ? -1 : first - postNanos;
    }

    /** Counts video and audio packets and their sequence gaps only for arrivals in {@code [start, end)}. */
    public void measureBetween(long startNanos, long endNanos) {
        windowEndNanos = endNanos;
        windowStartNanos = startNanos;
    }

    /** Video then audio: packets received in the window, and packets missing from their sequence there. */
    public long[] windowCounts() {
        synchronized (video) {
            synchronized (audio) {
                return new long[] {video.count, video.lost(), audio.count, audio.lost()};
            }
        }
    }

    /** Stops (or resumes) consent checks: the node then hears nothing from this client. */
    public void pauseConsent(boolean paused) {
        consentPaused = paused;
    }

    /**
     * Opens a new local socket (a new port, as after a network change) and sends a consent check from it at once;
     * later checks and feedback go out from it.
     *
     * @return the new socket's index for {@link #packetsOnSocket}
     */
    public int moveToNewSocket() throws IOException {
        int index = openSocket();
        sendConsentCheck();
        return index;
    }

    /** Sends a generic NACK (RFC 4585 6.2.1) for {@code lost} sequence numbers of the video stream, as SRTCP. */
    public void sendNack(long mediaSsrc, int... lost) throws IOException {
        byte[] packet = new byte[RtcpWriter.genericNackSize(lost) + SRTCP_ROOM];
        sendRtcp(packet, RtcpWriter.writeGenericNack(packet, 0, ssrc, mediaSsrc, lost));
    }

    /** Sends a picture loss indication (RFC 4585 6.3.1) for the video stream, as SRTCP. */
    public void sendPli(long mediaSsrc) throws IOException {
        byte[] packet = new byte[RtcpWriter.FEEDBACK_HEADER_SIZE + SRTCP_ROOM];
        sendRtcp(packet, RtcpWriter.writePictureLossIndication(packet, 0, ssrc, mediaSsrc));
    }

    private synchronized void sendRtcp(byte[] packet, int length) throws IOException {
        if (outgoing == null) {
            throw new IllegalStateException("no SRTP keys yet");
        }
        try {
            int protectedLength = outgoing.protectRtcp(packet, 0, length);
            currentSocket().send(ByteBuffer.wrap(packet, 0, protectedLength), server);
        } catch (SrtpException e) {
            throw new IOException("srtcp protect: " + e.getMessage(), e);
        }
    }

    /** Hangs up as a browser's {@code RTCPeerConnection.close()} does: a DTLS close_notify, without a DELETE. */
    public void sendCloseNotify() throws IOException {
        dtls.close();
    }

    /** {@code DELETE} of the WHEP resource; returns the HTTP status. */
    public int delete() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + location)).timeout(Duration.ofSeconds(10))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
        closed = true;
        loop.remove(this);
        if (dtlsTransport != null) {
            dtlsTransport.close();
        }
        for (int i = 0; i < socketCount; i++) {
            try {
                sockets[i].close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }

    private synchronized int openSocket() throws IOException {
        if (socketCount == MAX_SOCKETS) {
            throw new IOException("artc test client: already on " + MAX_SOCKETS + " sockets");
        }
        DatagramChannel channel = DatagramChannel.open();
        // On the node's loopback address when it is one; else wherever the route to the node leaves (a load tool's
        // network namespace, ./liveshard viewer-netns).
        channel.bind(server.getAddress().isLoopbackAddress() ? new InetSocketAddress(server.getAddress(), 0)
                : new InetSocketAddress(0));
        int index = socketCount;
        sockets[index] = channel;
        socketCount = index + 1;
        loop.register(channel, this, index);
        return index;
    }

    private DatagramChannel currentSocket() {
        return sockets[socketCount - 1];
    }

    /** Called by the loop's timer: sends a consent check when one is due. */
    void tick(long now) {
        if (closed || consentPaused || now < nextConsentNanos) {
            return;
        }
        try {
            sendConsentCheck();
        } catch (IOException e) {
            // The next tick tries again; a closed socket means the client is closing.
        }
    }

    private void sendConsentCheck() throws IOException {
        nextConsentNanos = System.nanoTime() + options.consentInterval().toNanos();
        byte[] transaction = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        loop.random().nextBytes(transaction);
        byte[] request = new StunMessage(StunMessageType.BINDING_REQUEST, transaction, List.of(
                StunAttribute.username(answer.iceUfrag() + ":" + localUfrag), StunAttribute.priority(1845501695),
                StunAttribute.iceControlling(tieBreaker), StunAttribute.useCandidate()))
                .encodeWithIntegrityAndFingerprint(StunMessageIntegrity.shortTermKey(answer.icePassword()));
        currentSocket().send(ByteBuffer.wrap(request), server);
    }

    /** A datagram from socket {@code socketIndex}, on the loop's reader thread; {@code data} is reused after. */
    void onDatagram(byte[] data, int length, int socketIndex, long now) {
        if (length == 0 || closed) {
            return;
        }
        int first = data[0] & 0xff;
        if (first <= 3) {
            onStun(data, length);
        } else if (first >= 20 && first <= 63) {
            dtlsTransport.offer(data, 0, length);
        } else if (first >= 128 && first <= 191) {
            SrtpContext in = incoming;
            if (in == null) {
                if (early.size() < MAX_EARLY_PACKETS) {
                    early.add(Arrays.copyOf(data, length));
                }
                return;
            }
            if (!early.isEmpty()) {
                for (byte[] packet : early) {
                    onSrtpOrSrtcp(in, packet, packet.length, socketIndex, now);
                }
                early.clear();
            }
            onSrtpOrSrtcp(in, data, length, socketIndex, now);
        }
    }

    private void onStun(byte[] data, int length) {
        try {
            StunMessage message = StunMessage.decode(data, 0, length, StunLimits.defaults());
            if (message.type() == StunMessageType.BINDING_SUCCESS_RESPONSE
                    && StunMessageIntegrity.verify(message, StunMessageIntegrity.shortTermKey(answer.icePassword()))) {
                iceDone.countDown();
            }
        } catch (StunException e) {
            refusedPackets++;
        }
    }

    private void onSrtpOrSrtcp(SrtpContext in, byte[] data, int length, int socketIndex, long now) {
        int payloadTypeByte = data[1] & 0xff;
        if (payloadTypeByte >= 192 && payloadTypeByte <= 223) {
            // RFC 5761 section 4: RTCP packet types 192..223 (SR 200, SDES 202, ...) sit where RTP has M+PT.
            try {
                in.unprotectRtcp(data, 0, length);
                rtcpPackets++;
            } catch (SrtpException e) {
                refusedPackets++;
            }
            return;
        }
        int plain;
        try {
            plain = in.unprotectRtp(data, 0, length);
        } catch (SrtpException e) {
            refusedPackets++;
            return;
        }
        onRtp(data, plain, socketIndex, now);
    }

    private void onRtp(byte[] data, int length, int socketIndex, long now) {
        int header = RTP_HEADER + 4 * (data[0] & 0x0f);
        if ((data[0] & 0x10) != 0) {
            header += 4 + 4 * ((data[header + 2] & 0xff) << 8 | data[header + 3] & 0xff);
        }
        if ((data[0] & 0x20) != 0) {
            length -= data[length - 1] & 0xff;
        }
        if (header > length) {
            refusedPackets++;
            return;
        }
        int payloadType = data[1] & 0x7f;
        boolean marker = (data[1] & 0x80) != 0;
        int sequence = (data[2] & 0xff) << 8 | data[3] & 0xff;
        long timestamp = readUnsigned32(data, 4);
        long packetSsrc = readUnsigned32(data, 8);
        packetsBySocket[socketIndex]++;
        lastMediaNanos = now;
        boolean inWindow = now >= windowStartNanos && now < windowEndNanos;
        if (payloadType == answer.videoPayloadType()) {
            videoPackets++;
            if (firstVideoNanos == 0) {
                firstVideoNanos = now;
                videoSsrc = packetSsrc;
            }
            if (inWindow) {
                synchronized (video) {
                    video.record(sequence);
                }
            }
            noteKeyframeReplay(data, header, length, timestamp);
        } else if (payloadType == answer.rtxPayloadType()) {
            rtxPackets++;
        } else if (payloadType == answer.audioPayloadType()) {
            audioPackets++;
            if (inWindow) {
                synchronized (audio) {
                    audio.record(sequence);
                }
            }
        }
        if (options.keepPackets()) {
            received.offer(new Received(payloadType, sequence, timestamp, packetSsrc, marker,
                    Arrays.copyOfRange(data, header, length), socketIndex, now));
        }
    }

    /** A keyframe's first packet with a timestamp before the newest seen is a GOP replay beginning (PLI/FIR). */
    private void noteKeyframeReplay(byte[] data, int payload, int length, long timestamp) {
        if (videoTimestampSeen && (int) (timestamp - highestVideoTimestamp) < 0
                && !(replaySeen && timestamp == lastReplayTimestamp) && startsKeyframe(data, payload, length)) {
            // One replay per keyframe timestamp: its STAP-A and the first fragment of each IDR slice all match.
            keyframeReplays++;
            replaySeen = true;
            lastReplayTimestamp = timestamp;
        }
        if (!videoTimestampSeen || (int) (timestamp - highestVideoTimestamp) > 0) {
            highestVideoTimestamp = timestamp;
            videoTimestampSeen = true;
        }
    }

    /**
     * Whether an H.264 RTP payload (RFC 6184) begins a keyframe: an IDR or SPS NAL unit alone, a STAP-A holding
     * one, or the first fragment of an FU-A of an IDR.
     */
    public static boolean startsKeyframe(byte[] data, int payload, int length) {
        if (payload >= length) {
            return false;
        }
        int type = data[payload] & 0x1f;
        if (type == 5 || type == 7) {
            return true;
        }
        if (type == 24) {
            int at = payload + 1;
            while (at + 2 < length) {
                int size = (data[at] & 0xff) << 8 | data[at + 1] & 0xff;
                int inner = data[at + 2] & 0x1f;
                if (inner == 5 || inner == 7) {
                    return true;
                }
                at += 2 + size;
            }
            return false;
        }
        return type == 28 && payload + 1 < length && (data[payload + 1] & 0x80) != 0
                && (data[payload + 1] & 0x1f) == 5;
    }

    private static long readUnsigned32(byte[] data, int at) {
        return ((data[at] & 0xffL) << 24) | ((data[at + 1] & 0xff) << 16) | ((data[at + 2] & 0xff) << 8)
                | (data[at + 3] & 0xff);
    }

    private String iceString(int length) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(chars.charAt(loop.random().nextInt(chars.length())));
        }
        return text.toString();
    }

    /** Sequence numbers of one stream inside the measured window: received count and the span they cover. */
    private static final class SequenceTrack {
        private long count;
        private long firstExtended = -1;
        private long highestExtended;

        void record(int sequence) {
            if (firstExtended < 0) {
                firstExtended = sequence;
                highestExtended = sequence;
            } else {
                long candidate = (highestExtended & ~0xFFFFL) | sequence;
                // RFC 3550 A.1: pick the extension closest to the highest seen.
                if (candidate < highestExtended - 0x8000) {
                    candidate += 0x10000;
                } else if (candidate > highestExtended + 0x8000) {
                    candidate -= 0x10000;
                }
                highestExtended = Math.max(highestExtended, candidate);
            }
            count++;
        }

        long lost() {
            return firstExtended < 0 ? 0 : Math.max(0, highestExtended - firstExtended + 1 - count);
        }
    }

    /** A Chrome-style recvonly offer: H.264 (the four profiles Chrome offers, with rtx) and Opus, BUNDLEd. */
    static String offer(String ufrag, String password, String fingerprint) {
        StringBuilder sdp = new StringBuilder();
        sdp.append("v=0\r\no=- 4215775240449105457 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
                .append("a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n")
                .append("m=video 9 UDP/TLS/RTP/SAVPF 102 103 106 107 127 125 112 113\r\n");
        transport(sdp, ufrag, password, fingerprint, "0");
        String[][] h264 = {{"102", "103", "42001f"}, {"106", "107", "42e01f"}, {"127", "125", "4d001f"},
            {"112", "113", "64001f"}};
        sdp.append("a=rtcp-rsize\r\n");
        for (String[] format : h264) {
            sdp.append("a=rtpmap:").append(format[0]).append(" H264/90000\r\n");
            for (String feedback : List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli")) {
                sdp.append("a=rtcp-fb:").append(format[0]).append(' ').append(feedback).append("\r\n");
            }
            sdp.append("a=fmtp:").append(format[0])
                    .append(" level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=")
                    .append(format[2]).append("\r\n");
            sdp.append("a=rtpmap:").append(format[1]).append(" rtx/90000\r\n");
            sdp.append("a=fmtp:").append(format[1]).append(" apt=").append(format[0]).append("\r\n");
        }
        sdp.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        transport(sdp, ufrag, password, fingerprint, "1");
        sdp.append("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n")
                .append("a=fmtp:111 minptime=10;useinbandfec=1\r\n");
        return sdp.toString();
    }

    private static void transport(StringBuilder sdp, String ufrag, String password, String fingerprint, String mid) {
        sdp.append("c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n")
                .append("a=ice-ufrag:").append(ufrag).append("\r\n")
                .append("a=ice-pwd:").append(password).append("\r\n")
                .append("a=ice-options:trickle\r\n")
                .append("a=fingerprint:").append(fingerprint).append("\r\n")
                .append("a=setup:actpass\r\na=mid:").append(mid).append("\r\na=recvonly\r\na=rtcp-mux\r\n");
    }

    /** What the client needs of the node's answer. */
    record Answer(String iceUfrag, String icePassword, String fingerprint, String candidateAddress,
                  int candidatePort, int videoPayloadType, int rtxPayloadType, int audioPayloadType,
                  List<Long> ssrcs) {

        static Answer parse(String sdp) throws IOException {
            String ufrag = null;
            String password = null;
            String fingerprint = null;
            String address = null;
            int port = -1;
            int video = -1;
            int rtx = -1;
            int audio = -1;
            String kind = "";
            List<Long> ssrcs = new ArrayList<>();
            for (String line : sdp.split("\r?\n")) {
                if (line.startsWith("m=")) {
                    kind = line.substring(2, line.indexOf(' '));
                } else if (line.startsWith("a=ice-ufrag:") && ufrag == null) {
                    ufrag = line.substring("a=ice-ufrag:".length()).strip();
                } else if (line.startsWith("a=ice-pwd:") && password == null) {
                    password = line.substring("a=ice-pwd:".length()).strip();
                } else if (line.startsWith("a=fingerprint:") && fingerprint == null) {
                    fingerprint = line.substring("a=fingerprint:".length()).strip();
                } else if (line.startsWith("a=candidate:") && address == null) {
                    // foundation component transport priority address port typ host
                    String[] fields = line.split(" ");
                    address = fields[4];
                    port = Integer.parseInt(fields[5]);
                } else if (line.startsWith("a=rtpmap:")) {
                    String[] fields = line.substring("a=rtpmap:".length()).split(" ");
                    int payloadType = Integer.parseInt(fields[0]);
                    String encoding = fields[1].toLowerCase(java.util.Locale.ROOT);
                    if (kind.equals("video") && encoding.startsWith("h264/") && video < 0) {
                        video = payloadType;
                    } else if (kind.equals("video") && encoding.startsWith("rtx/") && rtx < 0) {
                        rtx = payloadType;
                    } else if (kind.equals("audio") && encoding.startsWith("opus/") && audio < 0) {
                        audio = payloadType;
                    }
                } else {
                    Matcher ssrc = SSRC.matcher(line);
                    if (ssrc.lookingAt()) {
                        long value = Long.parseLong(ssrc.group(1));
                        if (!ssrcs.contains(value)) {
                            ssrcs.add(value);
                        }
                    }
                }
            }
            if (ufrag == null || password == null || fingerprint == null || address == null || video < 0) {
                throw new IOException("whep answer lacks ICE credentials, fingerprint, candidate or H.264:\n" + sdp);
            }
            return new Answer(ufrag, password, fingerprint, address, port, video, rtx, audio, List.copyOf(ssrcs));
        }
    }
}
