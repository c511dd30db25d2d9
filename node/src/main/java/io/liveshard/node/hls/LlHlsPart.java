package io.liveshard.node.hls;

/**
 * One part of an LL-HLS segment: a movie fragment (moof + mdat) built once and served to every viewer.
 *
 * @param sequence       the media sequence number of the segment it belongs to
 * @param index          its index within that segment, from 0
 * @param durationMillis media duration
 * @param bytes          the fragment
 * @param independent    starts with a keyframe
 * @param newestIngestNanos when the node received the newest frame in it ({@link System#nanoTime()})
 */
public record LlHlsPart(long sequence, int index, long durationMillis, byte[] bytes, boolean independent,
                        long newestIngestNanos) {
}
