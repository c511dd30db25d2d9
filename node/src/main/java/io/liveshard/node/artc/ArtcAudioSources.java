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
            Running started = new Running();
            started.source = new ArtcAudioSource(key, streams, opus, () -> endedUnasked(key, started));
            running.put(key, started);
            started.source.start();
            source = started;
        }
        source.viewers++;
        return source.source.feed();
    }

    /** One viewer of {@code key}, which took {@code feed}, no longer takes audio; the last one stops the source. */
    synchronized void release(StreamKey key, ArtcAudioFeed feed) {
        Running source = running.get(key);
        // A viewer of a source that ended by itself and was replaced since counts for that one only.
        if (source != null && source.source.feed() == feed && --source.viewers == 0) {
            running.remove(key);
            source.source.stop();
        }
    }

    /**
     * A source ended without its viewers leaving (its transcoder fell behind until the slow-consumer policy ended
     * it): the next viewer starts a new one rather than being answered without audio for as long as these stay.
     */
    private synchronized void endedUnasked(StreamKey key, Running ended) {
        running.remove(key, ended);
    }

    /** Whether the stream's running source gave up: new viewers are then answered without audio. */
    synchronized boolean failed(StreamKey key) {
        Running source = running.get(key);
        return source != null && source.source.feed().failed();
    }

    private static final class Running {
        private ArtcAudioSource source;
        private int viewers;
    }
}
