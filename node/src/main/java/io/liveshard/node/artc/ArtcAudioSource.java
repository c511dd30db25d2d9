package io.liveshard.node.artc;

import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.stream.StreamEntity;
import io.liveshard.node.stream.SubscriberQueue;
import io.liveshard.node.transcode.AacOpusTranscoder;
import io.liveshard.node.transcode.OpusEncoderSettings;
import io.liveshard.node.transcode.OpusPacket;
import io.liveshard.node.transcode.TranscodeException;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;
import io.liveshard.protocol.rtp.RtpException;
import io.liveshard.protocol.rtp.RtpOpusPacketizer;
import io.liveshard.protocol.rtp.RtpPacketizerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's audio for its artc viewers, made once per stream: a subscriber of the stream with its own queue and
 * its own thread (transcoding takes milliseconds of CPU per frame: never on the publisher's thread, an actor or the
 * media dispatcher). AAC is transcoded to Opus ({@link AacOpusTranscoder}); Opus from Enhanced RTMP passes through.
 * Either way each packet is packetized once (RFC 7587) into the stream's {@link ArtcAudioFeed}.
 *
 * <p>A failure (a broken AudioSpecificConfig, an FFmpeg error) is logged once and ends this source only: the feed
 * is marked failed, its viewers keep their video, other streams are untouched. Native memory is freed on this
 * source's own thread when it stops.
 */
final class ArtcAudioSource {

    /** What the source is doing, driven by the audio frames it is given. */
    enum State {
        /** Subscribed, no audio configuration seen yet. */
        AWAITING_CONFIG,
        /** AAC in, Opus out. */
        TRANSCODING,
        /** Opus in: packets are packetized as they are. */
        PASSING_THROUGH,
        /** Gave up after an error; terminal. */
        FAILED,
        /** Stopped by its last viewer or by the end of the stream; terminal. */
        STOPPED
    }

    private static final Logger log = LoggerFactory.getLogger(ArtcAudioSource.class);
    /** The protocol name the stream entity counts this subscriber under. */
    static final String PROTOCOL = ArtcSettings.AUDIO_SUBSCRIBER;
    /** How long the thread sleeps without a frame before it checks whether it was stopped. */
    private static final long IDLE_CHECK_MILLIS = 500;

    private final StreamKey key;
    private final Runnable endedUnasked;
    private final StreamDirectory streams;
    private final OpusEncoderSettings opus;
    private final ArtcAudioFeed feed = new ArtcAudioFeed();
    private final Semaphore wakeUp = new Semaphore(0);
    private final SubscriberQueue queue;
    private final Thread thread;
    private final RtpOpusPacketizer packetizer = new RtpOpusPacketizer(RtpPacketizerConfig.DEFAULT);
    private final List<MediaFrame> batch = new ArrayList<>();
    private final List<OpusPacket> encoded = new ArrayList<>();

    private volatile State state = State.AWAITING_CONFIG;
    /** Its last viewer left ({@link #stop}); any other end leaves viewers that were promised audio. */
    private volatile boolean stopRequested;
    private AacOpusTranscoder transcoder;
    private long packets;

    /** @param endedUnasked called when the source ends by itself, not by {@link #stop} */
    ArtcAudioSource(StreamKey key, StreamDirectory streams, OpusEncoderSettings opus, Runnable endedUnasked) {
        this.key = key;
        this.endedUnasked = endedUnasked;
        this.streams = streams;
        this.opus = opus;
        this.queue = new SubscriberQueue(PROTOCOL + "-" + key.id(), streams.settings().slowConsumer(),
                wakeUp::release);
        this.thread = new Thread(this::run, "artc-opus " + key.id());
        this.thread.setDaemon(true);
    }

    ArtcAudioFeed feed() {
        return feed;
    }

    State state() {
        return state;
    }

    void start() {
        thread.start();
        streams.subscribe(key, queue, PROTOCOL, Duration.ZERO).whenComplete((reply, failure) -> {
            if (failure != null || !(reply instanceof StreamEntity.Subscribed)) {
                log.info("artc {}: audio not started, the stream is not live", key);
                feed.markFailed();
                queue.cancel();
                streams.unsubscribe(key, queue);
                wakeUp.release();
            }
        });
    }

    /** Stops the source; its thread frees the transcoder and ends. */
    void stop() {
        stopRequested = true;
        queue.cancel();
        streams.unsubscribe(key, queue);
        wakeUp.release();
    }

    private void run() {
        try {
            while (state != State.FAILED && !queue.hasEnded()) {
                wakeUp.tryAcquire(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
                // Drain until the queue is found empty: only that marks this consumer as waiting, so that the next
                // frame wakes it. Stopping after one non-empty batch left the thread asleep for the whole idle check
                // while frames queued up, which held audio back by up to half a second.
                while (true) {
                    batch.clear();
                    if (queue.drainTo(batch) == 0) {
                        break;
                    }
                    for (MediaFrame frame : batch) {
                        if (frame.isAudio() && state != State.FAILED) {
                            take(frame);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeTranscoder();
            if (state != State.FAILED) {
                state = State.STOPPED;
            }
            if (!stopRequested && !feed.failed()) {
                // Ended under its viewers (the transcoder fell behind until the slow-consumer policy ended its
                // queue): its viewers lose their audio, and the next viewer starts a new source.
                feed.markFailed();
                endedUnasked.run();
                SubscriberQueue.EndReason ended = queue.endReason();
                if (ended != SubscriberQueue.EndReason.END_OF_STREAM) {
                    // The end of the stream ends its viewers too; anything else is worth the operator's attention.
                    log.warn("artc {}: audio ended with viewers still watching ({}); they go on without it, new "
                            + "artc viewers start it again", key, ended);
                }
            }
            log.info("artc {}: audio stopped after {} Opus packets", key, packets);
        }
    }

    private void take(MediaFrame frame) {
        try {
            if (frame.config()) {
                configure(frame);
            } else if (state == State.TRANSCODING && frame.codec() == MediaCodec.AAC) {
                encoded.clear();
                transcoder.transcode(frame.body(), frame.payloadOffset(), frame.payloadLength(), frame.pts(),
                        frame.ingestNanos(), encoded);
                for (OpusPacket packet : encoded) {
                    feed.append(packetizer.packetize(packet.data(), 0, packet.data().length, packet.timestamp(),
                            packet.ingestNanos()));
                    packets++;
                }
            } else if (state == State.PASSING_THROUGH && frame.codec() == MediaCodec.OPUS) {
                feed.append(packetizer.packetize(frame));
                packets++;
            }
        } catch (TranscodeException | RtpException | RuntimeException e) {
            fail(frame, e);
        }
    }

    private void configure(MediaFrame config) throws TranscodeException {
        closeTranscoder();
        if (config.codec() == MediaCodec.AAC) {
            transcoder = AacOpusTranscoder.open(config.body(), config.payloadOffset(), config.payloadLength(), opus);
            state = State.TRANSCODING;
            log.info("artc {}: transcoding AAC to Opus at {} kbit/s ({}, complexity {})", key, opus.bitrate() / 1000,
                    opus.application().ffmpegName(), opus.complexity());
        } else if (config.codec() == MediaCodec.OPUS) {
            state = State.PASSING_THROUGH;
            log.info("artc {}: passing Opus through", key);
        } else {
            // One line per configuration: WebRTC browsers play Opus only, so other codecs are skipped.
            log.info("artc {}: {} audio cannot be sent to WebRTC viewers, they get video only", key, config.codec());
            state = State.AWAITING_CONFIG;
        }
    }

    private void fail(MediaFrame frame, Exception e) {
        log.warn("artc {}: audio stopped, viewers keep video only: {} at {}", key, e.getMessage(), frame);
        state = State.FAILED;
        feed.markFailed();
        closeTranscoder();
        queue.cancel();
        streams.unsubscribe(key, queue);
    }

    private void closeTranscoder() {
        if (transcoder != null) {
            transcoder.close();
            transcoder = null;
        }
    }
}
