package io.liveshard.protocol.rtmp;

import io.liveshard.protocol.amf.Amf0Decoder;
import io.liveshard.protocol.amf.Amf0Encoder;
import io.liveshard.protocol.amf.Amf0Exception;
import io.liveshard.protocol.amf.Amf0Undefined;
import io.liveshard.protocol.media.StreamKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server side of one RTMP connection (Adobe RTMP specification 1.0, https://rtmp.veriskope.com/docs/spec/, and
 * the NetConnection/NetStream commands of section 7.2 as FMS, ffmpeg, librtmp, OBS, VLC and GStreamer use them):
 * handshake, chunking, protocol control, and the commands that lead to publishing or playing one stream.
 *
 * <p>Bytes come in through {@link #onBytes}; everything the session sends goes to the {@link RtmpChunkSink} in
 * order. Decisions that belong to the server (may this client publish or play this stream?) go to the
 * {@link RtmpSessionListener}, which answers through {@link #acceptPublish()} and friends. A connection publishes or
 * plays at most one stream.
 *
 * <p>Enhanced RTMP (https://veovera.org/docs/enhanced/enhanced-rtmp-v2) needs nothing extra here: its media
 * bodies pass through untouched, and the optional {@code fourCcList} of {@code connect} is not echoed.
 *
 * <p>Not thread-safe: one thread at a time, the listener called on it.
 *
 * <p>Chunk streams the session sends on: {@value #CSID_PROTOCOL_CONTROL} protocol and user control,
 * {@value #CSID_CONNECTION_COMMAND} replies to connection commands, {@value #CSID_STREAM_COMMAND} stream status
 * and data messages. A player's media goes out through its {@link RtmpMediaWriter}, on chunk streams of its own.
 */
public final class RtmpServerSession {

    /** Section 5.4: protocol control messages travel on chunk stream 2. */
    public static final int CSID_PROTOCOL_CONTROL = 2;
    public static final int CSID_CONNECTION_COMMAND = 3;
    public static final int CSID_STREAM_COMMAND = 5;

    /** The FMS version ffmpeg, librtmp and Flash expect in the connect reply. */
    private static final String FMS_VERSION = "FMS/3,0,1,123";
    /** Connect reply capabilities: the value FMS sends, which clients only log. */
    private static final double FMS_CAPABILITIES = 31;

    private enum Phase { HANDSHAKE, AWAIT_CONNECT, CONNECTED, FAILED }

    /** The one stream a connection may publish or play. */
    private enum Role { NONE, PUBLISH_PENDING, PUBLISHING, PLAY_PENDING, PLAYING, ENDED }

    private final RtmpLimits limits;
    private final RtmpSessionListener listener;
    private final RtmpChunkSink out;
    private final RtmpHandshake handshake = new RtmpHandshake();
    private final RtmpChunkDecoder decoder;
    private final RtmpChunkEncoder encoder = new RtmpChunkEncoder(RtmpLimits.DEFAULT_CHUNK_SIZE);

    private Phase phase = Phase.HANDSHAKE;
    private Role role = Role.NONE;
    private String failureReason;
    private boolean closing;
    private String app;
    private StreamKey streamKey;
    private int streamId;
    private int nextStreamId = 1;
    private long handshakeBytes;
    /** Window acknowledgement size the client announced; 0 until it does, and no acknowledgements until then. */
    private long peerWindowAckSize;
    private long bytesAcknowledged;

    public RtmpServerSession(RtmpLimits limits, RtmpSessionListener listener, RtmpChunkSink out) {
        this.limits = limits;
        this.listener = listener;
        this.out = out;
        this.decoder = new RtmpChunkDecoder(limits);
    }

    /**
     * Feeds received bytes: handshake, then chunks. Consumes everything it can; a partial chunk at the end stays in
     * the buffer for the next call (compact and refill it).
     *
     * @return false when the session failed: {@link #failureReason()} says why and the caller closes the connection
     */
    public boolean onBytes(ByteBuffer in) {
        if (phase == Phase.FAILED) {
            return false;
        }
        if (phase == Phase.HANDSHAKE && !continueHandshake(in)) {
            return phase != Phase.FAILED;
        }
        while (phase != Phase.FAILED) {
            RtmpChunkDecoder.Result result = decoder.decode(in);
            if (result == RtmpChunkDecoder.Result.BAD_MESSAGE) {
                fail("rtmp: " + decoder.failureReason());
                break;
            }
            acknowledgeIfDue();
            if (result == RtmpChunkDecoder.Result.NEED_MORE_BYTES) {
                break;
            }
            try {
                handleMessage(decoder.message());
            } catch (RtmpProtocolException e) {
                fail(e.getMessage());
            }
        }
        return phase != Phase.FAILED;
    }

    /** Why the session failed, or null while it has not. */
    public String failureReason() {
        return failureReason;
    }

    /** True once a rejection was sent: flush what was written and close the connection. */
    public boolean isClosing() {
        return closing;
    }

    /** Answers a pending {@code publish} with NetStream.Publish.Start. Ignored when the stream closed meanwhile. */
    public void acceptPublish() {
        if (answerPending(Role.PUBLISH_PENDING)) {
            role = Role.PUBLISHING;
            sendStatus("status", "NetStream.Publish.Start", "Start publishing " + streamKey + ".");
        }
    }

    /** Answers a pending {@code publish} with NetStream.Publish.BadName carrying the reason, then closes. */
    public void rejectPublish(String reason) {
        if (answerPending(Role.PUBLISH_PENDING)) {
            reject("NetStream.Publish.BadName", reason);
        }
    }

    /**
     * Answers a pending {@code play}: Stream Begin, NetStream.Play.Reset, NetStream.Play.Start and
     * {@code |RtmpSampleAccess}. ffmpeg, librtmp, VLC and GStreamer start on NetStream.Play.Start. The
     * NetStream.Data.Start data message FMS adds is left out on purpose: ffmpeg's FLV reader turns any unknown data
     * message into an extra "unknown" data stream, which breaks {@code -map 0} and stream counts. Ignored when the
     * stream closed meanwhile.
     */
    public void acceptPlay() {
        if (answerPending(Role.PLAY_PENDING)) {
            role = Role.PLAYING;
            sendControl(RtmpMessageType.USER_CONTROL,
                    RtmpControlMessages.userControl(RtmpUserControlEvent.STREAM_BEGIN, streamId));
            sendStatus("status", "NetStream.Play.Reset", "Playing and resetting " + streamKey + ".");
            sendStatus("status", "NetStream.Play.Start", "Started playing " + streamKey + ".");
            sendData(Amf0Encoder.encode("|RtmpSampleAccess", true, true));
        }
    }

    /** Answers a pending {@code play} with NetStream.Play.StreamNotFound carrying the reason, then closes. */
    public void rejectPlay(String reason) {
        if (answerPending(Role.PLAY_PENDING)) {
            reject("NetStream.Play.StreamNotFound", reason);
        }
    }

    /**
     * Tells a player its stream's publisher left: NetStream.Play.UnpublishNotify and Stream EOF. Like the other
     * send methods, ignored once the player closed its stream, and a programming error before it played.
     */
    public void sendPlayUnpublishNotify() {
        if (!isPlaying()) {
            return;
        }
        sendStatus("status", "NetStream.Play.UnpublishNotify", streamKey + " is now unpublished.");
        sendControl(RtmpMessageType.USER_CONTROL,
                RtmpControlMessages.userControl(RtmpUserControlEvent.STREAM_EOF, streamId));
    }

    /** Tells a player its stream has a publisher again: Stream Begin and NetStream.Play.PublishNotify. */
    public void sendPlayPublishNotify() {
        if (!isPlaying()) {
            return;
        }
        sendControl(RtmpMessageType.USER_CONTROL,
                RtmpControlMessages.userControl(RtmpUserControlEvent.STREAM_BEGIN, streamId));
        sendStatus("status", "NetStream.Play.PublishNotify", streamKey + " is now published.");
    }

    /**
     * The writer of this player's media, for the thread that drains its frames. Call it once the play was accepted;
     * media written after the player closed its stream is for the caller to stop (the session cannot see it).
     */
    public RtmpMediaWriter mediaWriter() {
        if (role != Role.PLAYING && role != Role.ENDED) {
            throw new IllegalStateException("no accepted play");
        }
        return new RtmpMediaWriter(encoder.chunkSize(), streamId);
    }

    private boolean continueHandshake(ByteBuffer in) {
        int before = in.position();
        RtmpHandshake.Result result = handshake.decode(in);
        handshakeBytes += in.position() - before;
        byte[] reply = handshake.takeOutput();
        if (reply.length > 0) {
            out.write(reply, 0, reply.length);
        }
        switch (result) {
            case DONE -> {
                phase = Phase.AWAIT_CONNECT;
                return true;
            }
            case BAD_MESSAGE -> fail("rtmp handshake: " + handshake.failureReason());
            case NEED_MORE_BYTES -> {
                // Wait for the rest.
            }
        }
        return false;
    }

    private void acknowledgeIfDue() {
        long received = handshakeBytes + decoder.bytesReceived();
        if (peerWindowAckSize > 0 && received - bytesAcknowledged >= peerWindowAckSize) {
            bytesAcknowledged = received;
            sendControl(RtmpMessageType.ACKNOWLEDGEMENT, RtmpControlMessages.acknowledgement(received));
        }
    }

    private void handleMessage(RtmpMessage message) throws RtmpProtocolException {
        RtmpMessageType type = RtmpMessageType.fromCode(message.typeId()).orElseThrow(
                () -> new RtmpProtocolException("rtmp: unknown message type " + message.typeId()));
        switch (type) {
            case SET_CHUNK_SIZE, ABORT, ACKNOWLEDGEMENT, SET_PEER_BANDWIDTH -> {
                // The chunk decoder applied the first two; acknowledgements and the peer's bandwidth wish do not
                // change what a server sends.
            }
            case WINDOW_ACK_SIZE -> peerWindowAckSize = u32(message, 0, "window acknowledgement size");
            case USER_CONTROL -> handleUserControl(message);
            case AUDIO, VIDEO -> handleMedia(message);
            case DATA_AMF0 -> handleData(message, 0);
            case DATA_AMF3 -> handleData(message, 1);
            case COMMAND_AMF0 -> handleCommand(message, 0);
            case COMMAND_AMF3 -> handleCommand(message, 1);
            case SHARED_OBJECT_AMF0, SHARED_OBJECT_AMF3 -> listener.onNotice("ignored a shared object message");
            case AGGREGATE -> {
                for (RtmpMessage inner : RtmpAggregateMessage.split(message)) {
                    handleMessage(inner);
                }
            }
        }
    }

    private void handleUserControl(RtmpMessage message) throws RtmpProtocolException {
        if (message.payload().length < 2) {
            throw new RtmpProtocolException("rtmp: user control message of " + message.payload().length + " bytes");
        }
        int code = ((message.payload()[0] & 0xFF) << 8) | (message.payload()[1] & 0xFF);
        Optional<RtmpUserControlEvent> event = RtmpUserControlEvent.fromCode(code);
        if (event.isEmpty()) {
            listener.onNotice("ignored unknown user control event " + code);
        } else if (event.get() == RtmpUserControlEvent.PING_REQUEST) {
            int timestamp = (int) u32(message, 2, "ping request");
            sendControl(RtmpMessageType.USER_CONTROL,
                    RtmpControlMessages.userControl(RtmpUserControlEvent.PING_RESPONSE, timestamp));
        }
    }

    /** Whether a publisher's audio, video or data message is delivered; messages outside publishing are refused. */
    private boolean acceptsMediaFrom(RtmpMessage message) throws RtmpProtocolException {
        return switch (role) {
            case PUBLISHING -> true;
            // Sent before the answer arrived, or after the stream closed: harmless stragglers.
            case PUBLISH_PENDING, ENDED -> false;
            case NONE, PLAY_PENDING, PLAYING -> throw new RtmpProtocolException(
                    "rtmp: message type " + message.typeId() + " from a client that is not publishing");
        };
    }

    private void handleMedia(RtmpMessage message) throws RtmpProtocolException {
        if (acceptsMediaFrom(message)) {
            listener.onMedia(message);
        }
    }

    private void handleData(RtmpMessage message, int skip) throws RtmpProtocolException {
        if (!acceptsMediaFrom(message)) {
            return;
        }
        byte[] payload = message.payload();
        int start = Math.min(skip, payload.length);
        Amf0Decoder amf = new Amf0Decoder(payload, start, payload.length - start, limits.maxAmfDepth());
        try {
            // FLV files carry onMetaData without the "@setDataFrame" prefix that tells a server to keep it.
            if (amf.hasRemaining() && "@setDataFrame".equals(amf.readValue())) {
                start = amf.position();
            }
        } catch (Amf0Exception e) {
            throw new RtmpProtocolException("rtmp data message: " + e.getMessage());
        }
        byte[] body = start == 0 ? payload : Arrays.copyOfRange(payload, start, payload.length);
        listener.onMedia(new RtmpMessage(message.chunkStreamId(), RtmpMessageType.DATA_AMF0.code(),
                message.timestamp(), message.messageStreamId(), body));
    }

    private void handleCommand(RtmpMessage message, int skip) throws RtmpProtocolException {
        // Commands are at most RtmpLimits.MAX_NON_MEDIA_MESSAGE_SIZE long: the chunk decoder refused longer ones
        // from their header, which keeps an AMF0 document of millions of tiny objects (far more memory than its
        // size) out of the parser (section 7.1.1).
        RtmpCommand command;
        try {
            command = RtmpCommand.parse(message.payload(), Math.min(skip, message.payload().length),
                    limits.maxAmfDepth());
        } catch (Amf0Exception e) {
            throw new RtmpProtocolException("rtmp command: " + e.getMessage());
        }
        if (command.name().equals("connect")) {
            handleConnect(command);
            return;
        }
        if (phase != Phase.CONNECTED) {
            throw new RtmpProtocolException(command.name() + " before connect");
        }
        switch (command.name()) {
            case "releaseStream" -> sendResult(command, null, Amf0Undefined.INSTANCE);
            case "FCPublish" -> {
                sendCommand(CSID_CONNECTION_COMMAND, 0, "onFCPublish", 0, null,
                        info("status", "NetStream.Publish.Start", command.stringArgument(0).orElse("")));
                sendResult(command, null, Amf0Undefined.INSTANCE);
            }
            // librtmp (rtmpdump, and the players built on it) subscribes before it plays a live stream, a CDN edge
            // convention; it reads an _error as "rtmp server sent error". Every stream here is subscribed already.
            case "FCSubscribe" -> {
                sendCommand(CSID_CONNECTION_COMMAND, 0, "onFCSubscribe", 0, null,
                        info("status", "NetStream.Play.Start", command.stringArgument(0).orElse("")));
                sendResult(command, null, Amf0Undefined.INSTANCE);
            }
            case "FCUnsubscribe" -> {
                sendCommand(CSID_CONNECTION_COMMAND, 0, "onFCUnsubscribe", 0, null,
                        info("status", "NetStream.Play.Stop", command.stringArgument(0).orElse("")));
                sendResult(command, null, Amf0Undefined.INSTANCE);
            }
            case "createStream" -> sendResult(command, null, (double) nextStreamId++);
            case "publish" -> handlePublish(command, message.messageStreamId());
            case "play" -> handlePlay(command, message.messageStreamId());
            case "FCUnpublish" -> {
                sendCommand(CSID_CONNECTION_COMMAND, 0, "onFCUnpublish", 0, null,
                        info("status", "NetStream.Unpublish.Success", command.stringArgument(0).orElse("")));
                if (role == Role.PUBLISH_PENDING || role == Role.PUBLISHING) {
                    endStream();
                }
            }
            case "deleteStream" -> {
                Optional<Double> deleted = command.numberArgument(0);
                if (deleted.isPresent() && deleted.get() == streamId) {
                    endStream();
                }
            }
            case "closeStream" -> {
                if (message.messageStreamId() == streamId) {
                    endStream();
                }
            }
            case "getStreamLength" -> sendResult(command, null, 0.0);
            // Bandwidth checks, a player's audio/video switches and play2's bitrate switching mean nothing for a
            // live relay, and their senders do not wait for an answer.
            case "_checkbw", "receiveAudio", "receiveVideo", "play2" -> { }
            default -> {
                sendCommand(CSID_CONNECTION_COMMAND, 0, "_error", command.transactionId(), null,
                        info("error", "NetConnection.Call.Failed", "unknown command " + command.name()));
                listener.onNotice("answered unknown command " + printable(command.name()) + " with _error");
            }
        }
    }

    private void handleConnect(RtmpCommand command) throws RtmpProtocolException {
        if (phase == Phase.CONNECTED) {
            throw new RtmpProtocolException("connect on a connection that is already connected");
        }
        String requested = command.stringProperty("app").orElseThrow(
                () -> new RtmpProtocolException("connect without an app"));
        app = withoutQuery(requested);
        while (app.endsWith("/")) {
            app = app.substring(0, app.length() - 1);
        }
        phase = Phase.CONNECTED;
        sendControl(RtmpMessageType.WINDOW_ACK_SIZE, RtmpControlMessages.windowAckSize(limits.windowAckSize()));
        sendControl(RtmpMessageType.SET_PEER_BANDWIDTH, RtmpControlMessages.setPeerBandwidth(limits.windowAckSize(),
                RtmpControlMessages.PEER_BANDWIDTH_DYNAMIC));
        sendControl(RtmpMessageType.SET_CHUNK_SIZE, RtmpControlMessages.setChunkSize(limits.outChunkSize()));
        encoder.setChunkSize(limits.outChunkSize());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", FMS_VERSION);
        properties.put("capabilities", FMS_CAPABILITIES);
        Map<String, Object> information = info("status", "NetConnection.Connect.Success", "Connection succeeded.");
        information.put("objectEncoding", command.numberProperty("objectEncoding").orElse(0.0));
        sendResult(command, properties, information);
        listener.onConnect(app, command.stringProperty("tcUrl").orElse(""));
    }

    private void handlePublish(RtmpCommand command, int messageStreamId) throws RtmpProtocolException {
        String name = startStream(command, messageStreamId, Role.PUBLISH_PENDING);
        Optional<String> problem = StreamKey.problem(app, withoutQuery(name));
        if (problem.isPresent()) {
            listener.onNotice("publish refused: " + problem.get());
            rejectPublish(problem.get());
        } else {
            streamKey = new StreamKey(app, withoutQuery(name));
            listener.onPublish(streamKey, queryOf(name));
        }
    }

    private void handlePlay(RtmpCommand command, int messageStreamId) throws RtmpProtocolException {
        String name = startStream(command, messageStreamId, Role.PLAY_PENDING);
        Optional<String> problem = StreamKey.problem(app, withoutQuery(name));
        if (problem.isPresent()) {
            listener.onNotice("play refused: " + problem.get());
            rejectPlay(problem.get());
        } else {
            streamKey = new StreamKey(app, withoutQuery(name));
            listener.onPlay(streamKey, queryOf(name));
        }
    }

    /** Takes the one stream of this connection for publishing or playing; returns the requested stream name. */
    private String startStream(RtmpCommand command, int messageStreamId, Role pending) throws RtmpProtocolException {
        if (role != Role.NONE) {
            throw new RtmpProtocolException(command.name() + " on a connection that already published or played");
        }
        String name = command.stringArgument(0).orElseThrow(
                () -> new RtmpProtocolException(command.name() + " without a stream name"));
        role = pending;
        streamId = messageStreamId;
        // Names are shown as "app/stream" until validated, so keep whatever the client sent out of logs.
        streamKey = null;
        return name;
    }

    private void endStream() {
        if (role != Role.ENDED) {
            role = Role.ENDED;
            listener.onStreamClosed();
        }
    }

    private boolean answerPending(Role pending) {
        if (role == Role.ENDED) {
            return false;
        }
        if (role != pending) {
            throw new IllegalStateException("no " + (pending == Role.PLAY_PENDING ? "play" : "publish")
                    + " request is waiting for an answer (" + role + ")");
        }
        return true;
    }

    private void reject(String code, String reason) {
        role = Role.ENDED;
        closing = true;
        sendStatus("error", code, reason);
    }

    /** True while playing; false once the stream ended, which callers cannot always see coming. */
    private boolean isPlaying() {
        if (role == Role.PLAYING) {
            return true;
        }
        if (role == Role.ENDED) {
            return false;
        }
        throw new IllegalStateException("not playing (" + role + ")");
    }

    private void sendControl(RtmpMessageType type, byte[] payload) {
        encoder.encode(CSID_PROTOCOL_CONTROL, type.code(), 0, 0, payload, out);
    }

    private void sendResult(RtmpCommand command, Object properties, Object information) {
        sendCommand(CSID_CONNECTION_COMMAND, 0, "_result", command.transactionId(), properties, information);
    }

    private void sendStatus(String level, String code, String description) {
        sendCommand(CSID_STREAM_COMMAND, streamId, "onStatus", 0, null, info(level, code, description));
    }

    private void sendCommand(int csid, int messageStreamId, String name, double transactionId, Object... values) {
        Object[] all = new Object[values.length + 2];
        all[0] = name;
        all[1] = transactionId;
        System.arraycopy(values, 0, all, 2, values.length);
        encoder.encode(csid, RtmpMessageType.COMMAND_AMF0.code(), 0, messageStreamId, Amf0Encoder.encode(all), out);
    }

    private void sendData(byte[] payload) {
        encoder.encode(CSID_STREAM_COMMAND, RtmpMessageType.DATA_AMF0.code(), 0, streamId, payload, out);
    }

    private static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    private void fail(String reason) {
        failureReason = reason;
        phase = Phase.FAILED;
    }

    private static long u32(RtmpMessage message, int offset, String what) throws RtmpProtocolException {
        byte[] p = message.payload();
        if (p.length < offset + 4) {
            throw new RtmpProtocolException("rtmp: " + what + " message of " + p.length + " bytes is too short");
        }
        return ByteBuffer.wrap(p, offset, 4).getInt() & 0xFFFFFFFFL;
    }

    private static String withoutQuery(String name) {
        int q = name.indexOf('?');
        return q < 0 ? name : name.substring(0, q);
    }

    private static String queryOf(String name) {
        int q = name.indexOf('?');
        return q < 0 ? "" : name.substring(q + 1);
    }

    /** A client-chosen name fit for one log line: control characters escaped, length capped. */
    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && i < 64; i++) {
            char c = name.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : c);
        }
        return name.length() > 64 ? sb + "..." : sb.toString();
    }
}
