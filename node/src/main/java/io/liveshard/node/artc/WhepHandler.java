package io.liveshard.node.artc;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.limits.ConnectionLimits;
import io.liveshard.node.metrics.NodeMetrics;
import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.transcode.FfmpegCodecs;
import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.dtls.DtlsCertificate;
import io.liveshard.protocol.dtls.DtlsFingerprint;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import io.liveshard.protocol.sdp.SdpAnswer;
import io.liveshard.protocol.sdp.SdpAnswerBuilder;
import io.liveshard.protocol.sdp.SdpCandidate;
import io.liveshard.protocol.sdp.SdpException;
import io.liveshard.protocol.sdp.SdpFingerprint;
import io.liveshard.protocol.sdp.SdpH264ProfileLevelId;
import io.liveshard.protocol.sdp.SdpLimits;
import io.liveshard.protocol.sdp.SdpLocalTransport;
import io.liveshard.protocol.sdp.SdpSession;
import io.liveshard.protocol.sdp.SdpStreamMedia;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHEP for artc: {@code POST /{app}/{stream}/whep} with a recvonly SDP offer answers {@code 201 Created} with the
 * SDP answer and a {@code Location} naming the session; {@code DELETE} on it ends the session. The server is
 * ICE-lite, so trickle ICE ({@code PATCH}) is answered 405.
 */
public final class WhepHandler {

    private static final Logger log = LoggerFactory.getLogger(WhepHandler.class);
    private static final ContentType APPLICATION_SDP =
            ContentTypes.create(MediaTypes.customBinary("application", "sdp", true));
    /**
     * How long this node keeps a copy of a stream that runs on another node for a viewer whose offer it answered: the
     * session subscribes only after ICE and DTLS, which take well under a second when they succeed.
     */
    private static final Duration OFFER_HOLD = Duration.ofSeconds(10);
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** Largest offer read: browsers' offers are a few KB. */
    public static final int MAX_OFFER_BYTES = 64 * 1024;

    private final ArtcSettings settings;
    private final ArtcTransport transport;
    private final StreamDirectory streams;
    private final NodeMetrics metrics;
    private final Executor blocking;
    private final DtlsCertificate certificate;
    private final SdpFingerprint localFingerprint;
    private final ArtcCandidates candidates;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong sessionIds = new AtomicLong();
    private final Map<String, ArtcSession> sessions = new ConcurrentHashMap<>();
    private final Map<StreamKey, ArtcStreamPacketizer> packetizers = new ConcurrentHashMap<>();
    private final ArtcAudioSources audioSources;
    private final ArtcSessionServices services;
    /** artc sessions count against the per-address connection limits, like RTMP connections and FLV viewers. */
    private final ConnectionLimits connections;
    private final CompletableFuture<Duration> warmUp;

    public WhepHandler(ArtcSettings settings, ArtcTransport transport, StreamDirectory streams, NodeMetrics metrics,
                       Executor blocking, ConnectionLimits connections) {
        this.connections = connections;
        this.settings = settings;
        this.transport = transport;
        this.streams = streams;
        this.metrics = metrics;
        this.blocking = blocking;
        this.certificate = DtlsCertificate.generate("liveshard", random);
        String[] fingerprint = certificate.fingerprint().toSdp().split(" ", 2);
        this.localFingerprint = new SdpFingerprint(fingerprint[0], fingerprint[1]);
        this.candidates = new ArtcCandidates(settings.announcedAddresses(), transport.localPort(),
                settings.ipv6Socket(), InetAddress::getAllByName);
        this.audioSources = new ArtcAudioSources(streams, settings.opus());
        this.services = new ArtcSessionServices(transport, streams, blocking, settings,
                new ArtcMetrics(metrics, transport));
        this.warmUp = DtlsWarmUp.start(certificate, random, settings.warmUpHandshakes(), blocking);
    }

    /** Completes when the start-up handshakes ({@code liveshard.artc.warm-up-handshakes}) have run. */
    public CompletableFuture<Duration> warmUp() {
        return warmUp;
    }

    public CompletionStage<HttpResponse> offer(StreamKey key, byte[] body, String client) {
        return offer(key, body, client, () -> { });
    }

    /**
     * Answers an offer from {@code client} (its address); {@code onEnd} runs once when the session it starts ends
     * (not at all when no session starts).
     */
    public CompletionStage<HttpResponse> offer(StreamKey key, byte[] body, String client, Runnable onEnd) {
        Optional<String> tooMany = connections.tryOpen(client);
        if (tooMany.isPresent()) {
            metrics.refused("artc", "connection-limit");
            log.warn("whep {} for {}: refused, {}", key, client, tooMany.get());
            return done(HttpResponses.text(StatusCodes.TOO_MANY_REQUESTS, tooMany.get()));
        }
        Runnable ended = () -> {
            connections.close(client);
            onEnd.run();
        };
        return answerOffer(key, body, client, ended).handle((response, failure) -> {
            if (failure != null) {
                connections.close(client);
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof TimeoutException) {
                    // The stream's status did not come (an ask timing out while a shard moves): no session started.
                    metrics.refused("artc", "unavailable");
                    log.warn("whep {} for {}: refused, the stream did not answer: {}", key, client, cause.toString());
                    return HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE,
                            "stream " + key + " did not answer in time; try again");
                }
                log.error("whep {} for {}: the offer could not be answered", key, client, cause);
                return HttpResponses.text(StatusCodes.INTERNAL_SERVER_ERROR, "the offer could not be answered");
            }
            if (response.status() != StatusCodes.CREATED) {
                connections.close(client);
            }
            return response;
        });
    }

    private CompletionStage<HttpResponse> answerOffer(StreamKey key, byte[] body, String client, Runnable ended) {
        Optional<String> forbidden = streams.forbidden(key);
        if (forbidden.isPresent()) {
            // Checked here, not left to the subscribe: a stream in its publisher's grace period still looks live.
            metrics.refused("artc", "forbidden");
            log.warn("whep {} for {}: refused, {}", key, client, forbidden.get());
            return done(HttpResponses.text(StatusCodes.FORBIDDEN, forbidden.get()));
        }
        if (sessions.size() >= settings.maxSessions()) {
            metrics.refused("artc", "node-full");
            log.warn("whep {} for {}: refused, this node serves its maximum of {} artc viewers", key, client,
                    settings.maxSessions());
            return done(HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, "this node serves its maximum of "
                    + settings.maxSessions() + " artc viewers"));
        }
        Optional<String> unavailable = streams.notServing();
        if (unavailable.isPresent()) {
            metrics.refused("artc", "unavailable");
            log.warn("whep {} for {}: refused, {}", key, client, unavailable.get());
            return done(HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, unavailable.get()));
        }
        Optional<String> full = streams.viewerLimit(key, "artc");
        if (full.isPresent()) {
            // Checked before the answer, not only at the subscribe after DTLS: a viewer refused there would have
            // had a 201 and a handshake for nothing. Offers arriving together may still pass here and be refused
            // at the subscribe; ArtcSession counts and logs those.
            metrics.refused("artc", "limit");
            log.warn("whep {} for {}: refused, {}", key, client, full.get());
            return done(HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE, full.get()));
        }
        List<SdpCandidate> announced = candidates.current();
        if (announced.isEmpty()) {
            metrics.refused("artc", "unavailable");
            log.warn("whep {} for {}: refused, none of liveshard.artc.candidates resolves to an address", key, client);
            return done(HttpResponses.text(StatusCodes.SERVICE_UNAVAILABLE,
                    "this node has no address to announce for artc yet"));
        }
        SdpSession offer;
        try {
            offer = SdpSession.parse(new String(body, StandardCharsets.UTF_8), SdpLimits.defaults());
        } catch (SdpException e) {
            return refuse(key, client, "bad-offer", "unusable SDP offer: " + e.getMessage());
        }
        return streams.statusForNewViewer(key, OFFER_HOLD).thenApply(status -> {
            if (!status.live() || status.stats().videoConfig() == null
                    || status.stats().videoCodec() != MediaCodec.H264) {
                metrics.refused("artc", "not-live");
                log.info("whep {} for {}: refused, the stream is not live with H.264 video", key, client);
                return HttpResponses.text(StatusCodes.NOT_FOUND, "stream " + key + " is not live with H.264 video");
            }
            try {
                return answer(key, offer, status.stats().videoConfig(), canSendOpus(key, status.stats().audioCodec()),
                        announced, client, ended);
            } catch (SdpException | CodecFormatException e) {
                metrics.refused("artc", "bad-offer");
                log.warn("whep {} for {}: refused, {}", key, client, e.getMessage());
                return HttpResponses.text(StatusCodes.BAD_REQUEST, "unusable SDP offer: " + e.getMessage());
            }
        });
    }

    public CompletionStage<HttpResponse> delete(StreamKey key, String sessionId) {
        ArtcSession session = sessions.get(sessionId);
        if (session == null || !session.key().equals(key)) {
            return done(HttpResponses.text(StatusCodes.NOT_FOUND, "no artc session " + sessionId + " on " + key));
        }
        session.close("ended by the viewer (DELETE)");
        return done(HttpResponses.withCors(HttpResponse.create().withStatus(StatusCodes.OK)));
    }

    /** Resolves the announced host names again (blocks on DNS: call it from a thread that may wait). */
    public void refreshCandidates() {
        candidates.refresh();
    }

    /** Closes sessions whose viewer went silent or never completed ICE and DTLS. Called periodically. */
    public void sweep() {
        long now = System.nanoTime();
        long timeout = settings.consentTimeout().toNanos();
        for (ArtcSession session : sessions.values()) {
            if (session.silentNanos(now) > timeout || !session.playing() && session.ageNanos(now) > timeout) {
                session.close("no valid packet from the viewer for " + settings.consentTimeout().toSeconds() + " s");
            }
        }
    }

    public int sessions() {
        return sessions.size();
    }

    /** AAC is transcoded (when FFmpeg loaded and the stream's transcoder has not failed), Opus passes through. */
    private boolean canSendOpus(StreamKey key, MediaCodec audioCodec) {
        if (audioCodec == MediaCodec.OPUS) {
            return !audioSources.failed(key);
        }
        return audioCodec == MediaCodec.AAC && FfmpegCodecs.unavailableReason().isEmpty()
                && !audioSources.failed(key);
    }

    private HttpResponse answer(StreamKey key, SdpSession offer, MediaFrame videoConfig, boolean opus,
                                List<SdpCandidate> announced, String client, Runnable ended)
            throws SdpException, CodecFormatException {
        AvcDecoderConfigurationRecord avc = AvcDecoderConfigurationRecord.parse(videoConfig.body(),
                videoConfig.payloadOffset(), videoConfig.payloadLength());
        SdpH264ProfileLevelId profile = new SdpH264ProfileLevelId(avc.profileIndication(),
                avc.profileCompatibility(), avc.levelIndication());
        String ufrag = iceString(8);
        String password = iceString(24);
        long id = sessionIds.incrementAndGet();
        long videoSsrc = random.nextInt() & 0xFFFF_FFFFL;
        long audioSsrc = (videoSsrc + 1 + random.nextInt(0x7FFF_FFFF)) & 0xFFFF_FFFFL;
        long rtxSsrc = (audioSsrc + 1 + random.nextInt(0x7FFF_FFFF)) & 0xFFFF_FFFFL;
        SdpAnswer answer = SdpAnswerBuilder.answer(offer,
                new SdpLocalTransport(ufrag, password, localFingerprint, announced),
                new SdpStreamMedia(Optional.of(profile), opus, "liveshard", OptionalLong.of(videoSsrc),
                        OptionalLong.of(audioSsrc), OptionalLong.of(rtxSsrc)), id);
        if (answer.video().isEmpty()) {
            throw new SdpException("the offer has no video section this stream can fill");
        }
        SdpAnswer.Video video = answer.video().get();
        ArtcTracks tracks = new ArtcTracks(videoSsrc, video.payloadType(), video.rtxPayloadType(), rtxSsrc,
                answer.audio().map(a -> OptionalInt.of(a.payloadType())).orElse(OptionalInt.empty()), audioSsrc);
        String sessionId = Long.toString(id, 36) + iceString(6).replace('+', 'x').replace('/', 'y');
        Optional<ArtcAudioFeed> audio = answer.audio().map(a -> audioSources.acquire(key));
        ArtcSession session;
        try {
            session = new ArtcSession(sessionId, key, ufrag, password, answer.remoteIceUfrag(), tracks,
                    certificate, DtlsFingerprint.parse(answer.remoteFingerprint().hashFunction() + " "
                            + answer.remoteFingerprint().value()),
                    packetizers.computeIfAbsent(key, k -> new ArtcStreamPacketizer()), audio, services,
                    transport.assign(), metrics.latency(key, "artc"), () -> {
                        closed(key, sessionId, audio);
                        ended.run();
                    }, random);
        } catch (RuntimeException e) {
            // No session, so nothing will release the audio this viewer took.
            audio.ifPresent(feed -> audioSources.release(key, feed));
            throw e;
        }
        sessions.put(sessionId, session);
        transport.register(session);
        log.info("whep {}: session {} for {}", key, sessionId, client);
        return HttpResponses.withCors(HttpResponse.create()
                .withStatus(StatusCodes.CREATED)
                .withEntity(APPLICATION_SDP, answer.text().getBytes(StandardCharsets.UTF_8))
                .addHeader(RawHeader.create("Location", "/" + key.app() + "/" + key.stream() + "/whep/" + sessionId)));
    }

    /** A session ended (DELETE, timeout, stream end, DTLS failure): forget it and what only it used. */
    private void closed(StreamKey key, String sessionId, Optional<ArtcAudioFeed> audio) {
        sessions.remove(sessionId);
        audio.ifPresent(feed -> audioSources.release(key, feed));
        packetizers.computeIfPresent(key, (k, packetizer) ->
                sessions.values().stream().anyMatch(s -> s.key().equals(k)) ? packetizer : null);
    }

    private String iceString(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return text.toString();
    }

    private CompletionStage<HttpResponse> refuse(StreamKey key, String client, String reason, String line) {
        metrics.refused("artc", reason);
        log.warn("whep {} for {}: refused, {}", key, client, line);
        return done(HttpResponses.text(StatusCodes.BAD_REQUEST, line));
    }

    private static CompletableFuture<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
