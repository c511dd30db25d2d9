package io.liveshard.node.rtmp;

import io.liveshard.node.auth.AuthQuery;
import io.liveshard.node.auth.SignedUrlAuth;
import io.liveshard.node.hooks.HookDecision;
import io.liveshard.node.hooks.HookEvent;
import io.liveshard.node.hooks.HookRequest;
import io.liveshard.node.hooks.Webhooks;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.net.TcpConnection;
import io.liveshard.node.metrics.TrafficMeter;
import io.liveshard.node.stream.SlowConsumerException;
import io.liveshard.node.stream.StreamFanout;
import io.liveshard.node.stream.SubscriberEgress;
import io.liveshard.node.stream.SubscriberQueue;
import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.HevcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.LatencyStamp;
import io.liveshard.protocol.flv.FlvFormatException;
import io.liveshard.protocol.flv.FlvMediaParser;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import io.liveshard.protocol.rtmp.RtmpChunkSink;
import io.liveshard.protocol.rtmp.RtmpMessage;
import io.liveshard.protocol.rtmp.RtmpMessageType;
import io.liveshard.protocol.rtmp.RtmpServerSession;
import io.liveshard.protocol.rtmp.RtmpSessionListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection: bytes from the client in, bytes to the client out. The protocol itself (handshake, chunks,
 * commands) is the {@link RtmpServerSession}'s; this stage connects it to the stream entities. A publishing
 * connection parses each media message into a {@link MediaFrame} and hands it straight to the stream's fan-out; a
 * playing connection's media bypasses this stage: once the play is accepted and its replies are on the socket, the
 * socket's event loop drains the player's queue itself ({@link RtmpPlayerEncoder}), so one write carries everything
 * that queued while the previous write was in flight, and no frame costs an actor message. With signed URLs switched on, publish and play
 * need a valid {@code auth_key}, from the stream name's query or else from the tcUrl's (where OBS users put it:
 * server {@code rtmp://host/live?auth_key=...}, stream key {@code cam1}). With webhooks configured, publish and play
 * also wait (asynchronously, like the stream's answer) for the hooks' decision, and their end is reported.
 */
final class RtmpConnectionStage extends GraphStage<FlowShape<ByteString, ByteString>> {

    private static final Logger log = LoggerFactory.getLogger(RtmpConnectionStage.class);
    private static final String TIMEOUT_TIMER = "timeout";

    private final Inlet<ByteString> in = Inlet.create("RtmpConnection.in");
    private final Outlet<ByteString> out = Outlet.create("RtmpConnection.out");
    private final RtmpSettings settings;
    private final StreamDirectory streams;
    private final NodeMetrics metrics;
    private final SignedUrlAuth auth;
    private final Webhooks hooks;
    private final String client;
    private final long connectionId;
    private final TcpConnection connection;

    RtmpConnectionStage(RtmpSettings settings, StreamDirectory streams, NodeMetrics metrics, SignedUrlAuth auth,
                        Webhooks hooks, String client, long connectionId, TcpConnection connection) {
        this.settings = settings;
        this.connection = connection;
        this.hooks = hooks;
        this.auth = auth;
        this.streams = streams;
        this.metrics = metrics;
        this.client = client;
        this.connectionId = connectionId;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return FlowShape.of(in, out);
    }

    @Override
    public TimerGraphStageLogic createLogic(Attributes inheritedAttributes) {
        return new Logic();
    }

    /** STREAM_CLOSED: the client ended its stream but keeps the connection, as rtmp2sink does until it closes. */
    private enum Role { CONNECTING, PUBLISH_PENDING, PUBLISHING, PLAY_PENDING, PLAYING, STREAM_CLOSED, CLOSING }

    private final class Logic extends TimerGraphStageLogic implements RtmpSessionListener, RtmpChunkSink {

        private final RtmpServerSession session = new RtmpServerSession(settings.limits(), this, this);
        private ByteString pending = ByteString.emptyByteString();
        /**
         * Received bytes the session could not use yet (a chunk header split across TCP reads): the session leaves
         * them unconsumed and they go in front of the next read.
         */
        private ByteString unread = ByteString.emptyByteString();
        private Role role = Role.CONNECTING;
        private boolean connected;
        /** The connect command's tcUrl, whose query may carry the {@code auth_key}. */
        private String tcUrl = "";
        private StreamKey streamKey;
        private String publisherId;
        private StreamFanout fanout;
        private SubscriberQueue queue;
        /** The accepted play's media, started once the replies before it were handed to the socket. */
        private SubscriberEgress egressToStart;
        /** Set while playing: what this player is sent counts as the stream's RTMP traffic. */
        private TrafficMeter.Series traffic;
        private long lastReceiveNanos = System.nanoTime();
        /** NAL length prefix size of the published video, from its decoder configuration; 0 until known. */
        private int nalLengthSize;
        private long receiveNanos;
        /** This connection's publish or play as webhooks report it, from the moment it asks. */
        private HookRequest hookRequest;
        /** How the end of {@link #hookRequest} is to be reported (unpublish or stop); null when not, or done. */
        private HookEvent hookEnd;
        private AsyncCallback<HookDecision> onPublishDecision;
        private AsyncCallback<HookDecision> onPlayDecision;
        private AsyncCallback<StreamEntity.PublishReply> onPublishReply;
        private AsyncCallback<StreamEntity.SubscribeReply> onSubscribeReply;
        private AsyncCallback<Throwable> onAskFailure;
        private AsyncCallback<SubscriberQueue.EndReason> onQueueEnded;
        private AsyncCallback<Boolean> onKicked;
        private final PublishHandoff publishHandoff = new PublishHandoff();

        Logic() {
            super(shape());
            setHandler(in, new AbstractInHandler() {
                @Override
                public void onPush() {
                    onBytes(grab(in));
                }

                @Override
                public void onUpstreamFinish() {
                    log.debug("rtmp {} {}: client closed the connection", describe(), client);
                    completeStage();
                }
            });
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    flush();
                }
            });
        }

        @Override
        public void preStart() {
            onPublishDecision = createAsyncCallback(this::publishDecided);
            onPlayDecision = createAsyncCallback(this::playDecided);
            onPublishReply = createAsyncCallback(this::publishAnswered);
            onSubscribeReply = createAsyncCallback(this::subscribeAnswered);
            onAskFailure = createAsyncCallback(this::askFailed);
            onQueueEnded = createAsyncCallback(this::queueEnded);
            onKicked = createAsyncCallback(ignored -> {
                log.info("rtmp {} {}: publisher kicked by an operator, closing", describe(), client);
                completeStage();
            });
            scheduleOnce(TIMEOUT_TIMER, settings.handshakeTimeout());
            pull(in);
        }

        @Override
        public void onTimer(Object key) {
            if (!connected || role == Role.CONNECTING) {
                close("no connect within " + settings.handshakeTimeout());
                return;
            }
            // A pending publish or play is bounded by the stream's answer (or the ask's timeout), not by silence:
            // OBS sends nothing while it waits for NetStream.Publish.Start.
            if (role != Role.PLAYING && role != Role.PLAY_PENDING && role != Role.PUBLISH_PENDING) {
                Duration silent = Duration.ofNanos(System.nanoTime() - lastReceiveNanos);
                if (silent.compareTo(settings.idleTimeout()) >= 0) {
                    close("nothing received for " + silent.toSeconds() + " s");
                    return;
                }
            }
            scheduleOnce(TIMEOUT_TIMER, settings.idleTimeout().dividedBy(2));
        }

        @Override
        public void postStop() {
            if (publishHandoff.stop()) {
                log.info("rtmp {} {}: gone before its publish was accepted, letting the stream go", describe(),
                        client);
                streams.unpublish(streamKey, clientId());
            } else if (publisherId != null) {
                streams.unpublish(streamKey, publisherId);
            }
            if (queue != null) {
                queue.cancel();
                queue.closeLatency();
                streams.unsubscribe(streamKey, queue);
                metrics.framesDropped("rtmp", queue.framesDropped());
            }
            reportEnd();
        }

        private void onBytes(ByteString bytes) {
            receiveNanos = System.nanoTime();
            lastReceiveNanos = receiveNanos;
            ByteBuffer input = unread.isEmpty() ? bytes.asByteBuffer() : unread.concat(bytes).asByteBuffer();
            boolean healthy = session.onBytes(input);
            unread = input.hasRemaining() ? ByteString.fromByteBuffer(input) : ByteString.emptyByteString();
            if (!healthy) {
                metrics.refused("rtmp", "protocol-error");
                log.warn("rtmp {} {}: closing, {}", describe(), client, session.failureReason());
                closeNow();
                return;
            }
            if (session.isClosing()) {
                role = Role.CLOSING;
            }
            flush();
            if (role != Role.CLOSING && !isClosed(in) && !hasBeenPulled(in)) {
                pull(in);
            }
        }

        /**
         * Sends what is pending if the socket took what was sent before. A pull means the previous bytes are on the
         * socket, so an accepted play's media starts here: after its replies, never before them.
         */
        private void flush() {
            if (!isAvailable(out)) {
                return;
            }
            if (!pending.isEmpty()) {
                ByteString bytes = pending;
                pending = ByteString.emptyByteString();
                if (traffic != null) {
                    traffic.sent(bytes.size());
                }
                push(out, bytes);
            } else if (egressToStart != null) {
                connection.startEgress(egressToStart);
                egressToStart = null;
            } else if (role == Role.CLOSING) {
                completeStage();
            }
        }

        /** The player's queue ended (told by its egress, which stopped taking frames). */
        private void queueEnded(SubscriberQueue.EndReason ended) {
            if (role != Role.PLAYING) {
                return;
            }
            if (ended == SubscriberQueue.EndReason.END_OF_STREAM) {
                log.info("rtmp {} {}: stream ended, closing the player", describe(), client);
                session.sendPlayUnpublishNotify();
                role = Role.CLOSING;
                flush();
            } else if (ended == SubscriberQueue.EndReason.SLOW_CONSUMER) {
                // The socket is stuck on a viewer that stopped reading: reset rather than wait for it.
                log.warn("rtmp {} {}: disconnecting slow player ({} frames dropped)", describe(), client,
                        queue.framesDropped());
                failStage(new SlowConsumerException(queue.subscriberId(), queue.framesDropped()));
            } else {
                log.info("rtmp {} {}: player closed, {}", describe(), client, ended);
                role = Role.CLOSING;
                flush();
            }
        }

        @Override
        public void write(byte[] array, int offset, int length) {
            pending = pending.concat(ByteString.fromArrayUnsafe(array, offset, length));
        }

        @Override
        public void onConnect(String app, String tcUrl) {
            connected = true;
            this.tcUrl = tcUrl;
            log.debug("rtmp {} {}: connect app={} tcUrl={}", describe(), client, app, tcUrl);
        }

        @Override
        public void onPublish(StreamKey key, String query) {
            if (role != Role.CONNECTING) {
                session.rejectPublish("this connection is already " + role.name().toLowerCase());
                role = Role.CLOSING;
                return;
            }
            streamKey = key;
            Optional<String> refusal = auth.refusal(SignedUrlAuth.Action.PUBLISH, "rtmp", key, authKey(query), client);
            if (refusal.isPresent()) {
                session.rejectPublish(refusal.get());
                role = Role.CLOSING;
                return;
            }
            role = Role.PUBLISH_PENDING;
            hookRequest = hookRequest(key, query);
            if (hooks.enabled(HookEvent.PUBLISH)) {
                hooks.decide(HookEvent.PUBLISH, hookRequest).thenAccept(onPublishDecision::invoke);
            } else {
                startPublish();
            }
        }

        private void publishDecided(HookDecision decision) {
            if (role != Role.PUBLISH_PENDING) {
                return;
            }
            if (!decision.allowed()) {
                session.rejectPublish(decision.reason());
                role = Role.CLOSING;
                flush();
                return;
            }
            startPublish();
        }

        private void startPublish() {
            Runnable kick = () -> onKicked.invoke(Boolean.TRUE);
            StreamKey key = streamKey;
            String id = clientId();
            streams.publish(key, id, client, "rtmp", kick).whenComplete((reply, failure) -> {
                if (failure != null) {
                    onAskFailure.invoke(failure);
                } else if (reply instanceof StreamEntity.PublishAccepted && !publishHandoff.accepted()) {
                    log.info("rtmp {} {}: gone before its publish was accepted, letting the stream go", key.id(),
                            client);
                    streams.unpublish(key, id);
                } else {
                    onPublishReply.invoke(reply);
                }
            });
        }

        private void publishAnswered(StreamEntity.PublishReply reply) {
            if (reply instanceof StreamEntity.PublishAccepted) {
                publishHandoff.taken();
                if (role != Role.PUBLISH_PENDING) {
                    // The client ended its stream (deleteStream, FCUnpublish) while the stream answered.
                    log.info("rtmp {} {}: stream closed before its publish was accepted", describe(), client);
                    streams.unpublish(streamKey, clientId());
                    return;
                }
            }
            if (reply instanceof StreamEntity.PublishAccepted accepted) {
                publisherId = clientId();
                fanout = accepted.fanout();
                hookEnd = HookEvent.UNPUBLISH;
                role = Role.PUBLISHING;
                session.acceptPublish();
                log.info("rtmp {} {}: publishing", describe(), client);
            } else {
                StreamEntity.PublishRefused refused = (StreamEntity.PublishRefused) reply;
                String reason = refused.reason();
                metrics.refused("rtmp", refused.cause().label());
                log.warn("rtmp {} {}: publish refused, {}", describe(), client, reason);
                session.rejectPublish(reason);
                role = Role.CLOSING;
            }
            flush();
        }

        @Override
        public void onPlay(StreamKey key, String query) {
            if (role != Role.CONNECTING) {
                session.rejectPlay("this connection is already " + role.name().toLowerCase());
                role = Role.CLOSING;
                return;
            }
            streamKey = key;
            Optional<String> refusal = auth.refusal(SignedUrlAuth.Action.PLAY, "rtmp", key, authKey(query), client);
            if (refusal.isPresent()) {
                session.rejectPlay(refusal.get());
                role = Role.CLOSING;
                return;
            }
            role = Role.PLAY_PENDING;
            hookRequest = hookRequest(key, query);
            if (hooks.enabled(HookEvent.PLAY)) {
                hooks.decide(HookEvent.PLAY, hookRequest).thenAccept(onPlayDecision::invoke);
            } else {
                startPlay(key);
            }
        }

        private void playDecided(HookDecision decision) {
            if (role != Role.PLAY_PENDING) {
                return;
            }
            if (!decision.allowed()) {
                session.rejectPlay(decision.reason());
                role = Role.CLOSING;
                flush();
                return;
            }
            startPlay(streamKey);
        }

        private void startPlay(StreamKey key) {
            Optional<String> forbidden = streams.forbidden(key);
            if (forbidden.isPresent()) {
                metrics.refused("rtmp", "forbidden");
                log.warn("rtmp {} {}: play refused, {}", describe(), client, forbidden.get());
                session.rejectPlay(forbidden.get());
                role = Role.CLOSING;
                flush();
                return;
            }
            traffic = metrics.traffic().series(key, "rtmp");
            queue = new SubscriberQueue(clientId(), streams.settings().slowConsumer(), connection.egressWakeUp());
            streams.subscribe(key, queue, "rtmp", settings.playWaitForPublisher()).whenComplete((reply, failure) -> {
                if (failure != null) {
                    onAskFailure.invoke(failure);
                } else {
                    onSubscribeReply.invoke(reply);
                }
            });
        }

        private void subscribeAnswered(StreamEntity.SubscribeReply reply) {
            if (role != Role.PLAY_PENDING) {
                // The player closed its stream (or the connection is closing) while the stream answered.
                if (reply instanceof StreamEntity.Subscribed && queue != null) {
                    queue.cancel();
                    streams.unsubscribe(streamKey, queue);
                    queue = null;
                }
                return;
            }
            if (reply instanceof StreamEntity.Subscribed) {
                role = Role.PLAYING;
                hookEnd = HookEvent.STOP;
                session.acceptPlay();
                queue.recordLatency(metrics.latency(streamKey, "rtmp"));
                egressToStart = new SubscriberEgress(queue, connection.clock(),
                        new RtmpPlayerEncoder(session.mediaWriter(), traffic), onQueueEnded::invoke);
                log.info("rtmp {} {}: playing", describe(), client);
            } else if (reply instanceof StreamEntity.Refused refused) {
                metrics.refused("rtmp", refused.cause());
                log.warn("rtmp {} {}: play refused, {}", describe(), client, refused.reason());
                session.rejectPlay(refused.reason());
                role = Role.CLOSING;
            } else {
                String reason = ((StreamEntity.NotLive) reply).reason();
                metrics.refused("rtmp", "not-live");
                log.info("rtmp {} {}: play refused, {}", describe(), client, reason);
                session.rejectPlay(reason);
                role = Role.CLOSING;
            }
            flush();
        }

        private String clientId() {
            return "rtmp-" + connectionId + "@" + client;
        }

        /** This connection's publish or play of {@code key} for webhooks, with the tcUrl's and the name's query. */
        private HookRequest hookRequest(StreamKey key, String streamQuery) {
            Map<String, String> query = HookRequest.queryParameters(HookRequest.queryOfUrl(tcUrl));
            query.putAll(HookRequest.queryParameters(streamQuery));
            return new HookRequest(key, "rtmp", client, clientId(), query);
        }

        /** Reports the end of an accepted publish (unpublish) or play (stop), once. */
        private void reportEnd() {
            if (hookEnd != null) {
                hooks.notify(hookEnd, hookRequest);
                hookEnd = null;
            }
        }

        /** The signed-URL parameter: the stream name's first, else the tcUrl's (the app's query). */
        private Optional<String> authKey(String streamQuery) {
            return AuthQuery.authKey(streamQuery).or(() -> AuthQuery.authKeyOfUrl(tcUrl));
        }

        private void askFailed(Throwable failure) {
            log.warn("rtmp {} {}: stream did not answer: {}", describe(), client, failure.toString());
            closeNow();
        }

        @Override
        public void onMedia(RtmpMessage message) {
            if (role != Role.PUBLISHING) {
                return;
            }
            MediaFrame frame;
            try {
                frame = parse(message);
            } catch (FlvFormatException e) {
                log.warn("rtmp {} {}: closing, bad media message: {}", describe(), client, e.getMessage());
                closeNow();
                return;
            }
            fanout.publish(stamped(frame));
        }

        /**
         * With latency stamps on, each H.264/H.265 access unit gets LiveShard's SEI stamp with the wall-clock time
         * of its arrival; the stream's configuration frames tell the NAL length prefix the stamp must use.
         */
        private MediaFrame stamped(MediaFrame frame) {
            if (!settings.latencyStamps() || !frame.isVideo()) {
                return frame;
            }
            if (frame.config()) {
                nalLengthSize = nalLengthSizeOf(frame);
                return frame;
            }
            if (nalLengthSize == 0) {
                return frame;
            }
            long wallMillis = System.currentTimeMillis() - (System.nanoTime() - receiveNanos) / 1_000_000;
            return LatencyStamp.stamp(frame, nalLengthSize, wallMillis);
        }

        private MediaFrame parse(RtmpMessage message) throws FlvFormatException {
            if (message.typeId() == RtmpMessageType.VIDEO.code()) {
                return FlvMediaParser.parseVideo(message.payload(), message.timestamp(), receiveNanos);
            }
            if (message.typeId() == RtmpMessageType.AUDIO.code()) {
                return FlvMediaParser.parseAudio(message.payload(), message.timestamp(), receiveNanos);
            }
            return FlvMediaParser.scriptData(message.payload(), message.timestamp(), receiveNanos);
        }

        @Override
        public void onStreamClosed() {
            if (role == Role.PUBLISHING) {
                log.info("rtmp {} {}: publisher ended its stream", describe(), client);
                streams.unpublish(streamKey, publisherId);
                reportEnd();
                publisherId = null;
                fanout = null;
                role = Role.STREAM_CLOSED;
            } else if (role == Role.PLAY_PENDING || role == Role.PUBLISH_PENDING) {
                log.info("rtmp {} {}: client ended its stream before it started", describe(), client);
                role = Role.STREAM_CLOSED;
            } else if (role == Role.PLAYING) {
                log.info("rtmp {} {}: player ended its stream", describe(), client);
                queue.cancel();
                queue.closeLatency();
                streams.unsubscribe(streamKey, queue);
                reportEnd();
                queue = null;
                role = Role.STREAM_CLOSED;
            }
        }

        @Override
        public void onNotice(String message) {
            log.info("rtmp {} {}: {}", describe(), client, message);
        }

        private void close(String reason) {
            log.warn("rtmp {} {}: closing, {}", describe(), client, reason);
            closeNow();
        }

        private void closeNow() {
            role = Role.CLOSING;
            completeStage();
        }

        private String describe() {
            return streamKey == null ? "#" + connectionId : streamKey.id();
        }
    }

    private static int nalLengthSizeOf(MediaFrame config) {
        try {
            if (config.codec() == MediaCodec.H264) {
                return AvcDecoderConfigurationRecord.parse(config.body(), config.payloadOffset(),
                        config.payloadLength()).nalLengthSize();
            }
            if (config.codec() == MediaCodec.H265) {
                return HevcDecoderConfigurationRecord.parse(config.body(), config.payloadOffset(),
                        config.payloadLength()).nalLengthSize();
            }
        } catch (CodecFormatException e) {
            log.debug("rtmp: no latency stamps for an unreadable video configuration: {}", e.getMessage());
        }
        return 0;
    }
}
