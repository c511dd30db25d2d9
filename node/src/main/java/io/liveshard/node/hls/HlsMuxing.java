package io.liveshard.node.hls;

import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.StreamKey;

/**
 * What an {@link HlsStreamOutput} feeds a stream's frames to: the classic MPEG-TS segmenter or the Low-Latency
 * HLS fMP4 segmenter. Called from one drain at a time; readers use the implementation's own snapshots.
 */
public interface HlsMuxing {

    void accept(MediaFrame frame);

    /** The stream ended: close what is open and mark the playlist ended. */
    void end();

    /** A playlist has something to list (a segment, or for LL-HLS a part), or the stream ended. */
    boolean ready();

    /** The stream ended and no more media will follow. */
    boolean ended();

    /** Media sequence number the next segment will get, so a later output can continue the numbering. */
    long nextSequence();

    /** Makes new segmenters for one stream. */
    interface Factory<M extends HlsMuxing> {
        M create(StreamKey key, long firstSequence, boolean startWithDiscontinuity);
    }
}
