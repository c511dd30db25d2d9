package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;
import io.liveshard.protocol.media.StreamKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The media plane of one live stream on this node: the publisher's connection calls {@link #publish} for every
 * frame on its own thread, and the fan-out hands the frame to every subscriber's own {@link SubscriberQueue}. No
 * actor sits between the publisher and the viewers, so a frame costs one queue insertion per viewer and nothing
 * waits on a mailbox.
 *
 * <p>The {@link StreamEntity} owns this object and alone attaches and detaches subscribers; the lock makes a new
 * subscriber's start (metadata, codec configs, cached GOP) and the live frames that follow one gap-free sequence.
 *
 * <p>Timestamps stay monotonic across a publisher reconnecting within the grace period: the new publisher's
 * timestamps are shifted to continue where the previous one stopped.
 */
public final class StreamFanout {

    private static final SubscriberQueue[] NO_SUBSCRIBERS = new SubscriberQueue[0];
    /** Gap left between the last frame of a publisher and the first of the next one, in milliseconds. */
    private static final long REPUBLISH_GAP_MILLIS = 40;

    private final StreamKey key;
    private final GopCache gopCache;
    private final Object lock = new Object();

    private SubscriberQueue[] subscribers = NO_SUBSCRIBERS;
    private MediaFrame metadata;
    private MediaFrame videoConfig;
    private MediaFrame audioConfig;
    private boolean hasVideo;
    private boolean hasAudio;
    private long timestampShift;
    private boolean shiftPending;
    private long lastDts = Long.MIN_VALUE;
    private long framesIn;
    private long bytesIn;
    private long lastIngestNanos;

    public StreamFanout(StreamKey key, int gopMaxFrames, long gopMaxBytes) {
        this.key = key;
        this.gopCache = new GopCache(gopMaxFrames, gopMaxBytes);
    }

    public StreamKey key() {
        return key;
    }

    /** Hands a frame from the publisher to every subscriber. Called on the publisher's connection thread. */
    public void publish(MediaFrame frame) {
        synchronized (lock) {
            MediaFrame shifted = shift(frame);
            remember(shifted);
            framesIn++;
            bytesIn += frame.body().length;
            lastIngestNanos = frame.ingestNanos();
            boolean video = hasVideo;
            for (SubscriberQueue subscriber : subscribers) {
                subscriber.offer(shifted, video);
            }
        }
    }

    /**
     * Prepares for a new publisher: its timestamps will continue after the last frame delivered, and the old GOP
     * (encoded with the old publisher's parameters) is forgotten.
     */
    void beginPublisher() {
        synchronized (lock) {
            shiftPending = lastDts != Long.MIN_VALUE;
            gopCache.clear();
            metadata = null;
            videoConfig = null;
            audioConfig = null;
        }
    }

    /** Adds a subscriber, priming its queue with metadata, codec configs and the cached GOP. */
    void attach(SubscriberQueue subscriber) {
        synchronized (lock) {
            List<MediaFrame> start = new ArrayList<>(gopCache.size() + 3);
            if (metadata != null) {
                start.add(metadata);
            }
            if (videoConfig != null) {
                start.add(videoConfig);
            }
            if (audioConfig != null) {
                start.add(audioConfig);
            }
            start.addAll(gopCache.frames());
            subscriber.prime(start, hasVideo && !gopCache.hasKeyframe());
            SubscriberQueue[] grown = Arrays.copyOf(subscribers, subscribers.length + 1);
            grown[subscribers.length] = subscriber;
            subscribers = grown;
        }
    }

    /** Removes a subscriber; its queue is ended with {@code reason}. */
    void detach(SubscriberQueue subscriber, SubscriberQueue.EndReason reason) {
        release(subscriber);
        subscriber.end(reason);
    }

    /** Removes a subscriber without ending its queue, which another fan-out is about to feed. */
    void release(SubscriberQueue subscriber) {
        synchronized (lock) {
            int index = Arrays.asList(subscribers).indexOf(subscriber);
            if (index >= 0) {
                SubscriberQueue[] shrunk = new SubscriberQueue[subscribers.length - 1];
                System.arraycopy(subscribers, 0, shrunk, 0, index);
                System.arraycopy(subscribers, index + 1, shrunk, index, subscribers.length - index - 1);
                subscribers = shrunk;
            }
        }
    }

    /** Ends every subscriber's queue and forgets them. */
    void endAll(SubscriberQueue.EndReason reason) {
        SubscriberQueue[] ended;
        synchronized (lock) {
            ended = subscribers;
            subscribers = NO_SUBSCRIBERS;
            gopCache.clear();
        }
        for (SubscriberQueue subscriber : ended) {
            subscriber.end(reason);
        }
    }

    /** When the last frame arrived ({@link System#nanoTime()}), 0 before the first. */
    long lastIngestNanos() {
        synchronized (lock) {
            return lastIngestNanos;
        }
    }

    /** A consistent snapshot of the stream's state for status replies and metrics. */
    public StreamStats stats() {
        synchronized (lock) {
            return new StreamStats(subscribers.length, framesIn, bytesIn, hasVideo, hasAudio,
                    videoConfig == null ? null : videoConfig.codec(), audioConfig == null ? null : audioConfig.codec(),
                    gopCache.size(), lastIngestNanos, videoConfig);
        }
    }

    private MediaFrame shift(MediaFrame frame) {
        if (shiftPending) {
            timestampShift = lastDts + REPUBLISH_GAP_MILLIS - frame.dts();
            shiftPending = false;
        }
        MediaFrame shifted = timestampShift == 0 ? frame : frame.withDts(frame.dts() + timestampShift);
        if (shifted.kind() != MediaKind.DATA && !shifted.config()) {
            lastDts = Math.max(lastDts, shifted.dts());
        }
        return shifted;
    }

    private void remember(MediaFrame frame) {
        switch (frame.kind()) {
            case DATA -> metadata = frame;
            case VIDEO -> {
                hasVideo = true;
                if (frame.config()) {
                    videoConfig = frame;
                } else {
                    gopCache.add(frame);
                }
            }
            case AUDIO -> {
                hasAudio = true;
                if (frame.config()) {
                    audioConfig = frame;
                } else {
                    gopCache.add(frame);
                }
            }
        }
    }
}
