package io.liveshard.node.artc;

import io.liveshard.node.stream.StreamDirectory;
import io.liveshard.node.transcode.OpusEncoderSettings;
import io.liveshard.protocol.media.StreamKey;
import java.util.HashMap;
import java.util.Map;

/**
 * The audio sources of this node's artc viewers: one {@link ArtcAudioSource} per stream, started by the first
 * viewer that takes audio and stopped (its transcoder freed) when the last one leaves.
 */
final class ArtcAudioSources {

    private final StreamDirectory streams;
    private final OpusEncoderSettings opus;
    private final Map<StreamKey, Running> running = new HashMap<>();

    ArtcAudioSources(StreamDirectory streams, OpusEncoderSettings opus) {
        this.streams = streams;
        this.opus = opus;
    }

    /** The stream's audio feed, starting its source for the first viewer. Each call needs one {@link #release}. */
    synchronized ArtcAudioFeed acquire(StreamKey key) {
        Running source = running.get(key);
        if (source == null) {
            source = new Running(new ArtcAudioSource(key, streams, opus));
            running.put(key, source);
            source.source.start();
        }
        source.viewers++;
        return source.source.feed();
    }

    /** One viewer of {@code key} no longer takes audio; the last one stops the source. */
    synchronized void release(StreamKey key) {
        Running source = running.get(key);
        if (source != null && --source.viewers == 0) {
            running.remove(key);
            source.source.stop();
        }
    }

    /** Whether the stream's running source gave up: new viewers are then answered without audio. */
    synchronized boolean failed(StreamKey key) {
        Running source = running.get(key);
        return source != null && source.source.feed().failed();
    }

    /** Streams whose audio is being made, for stats and tests. */
    synchronized int running() {
        return running.size();
    }

    private static final class Running {
        private final ArtcAudioSource source;
        private int viewers;

        private Running(ArtcAudioSource source) {
            this.source = source;
        }
    }
}
