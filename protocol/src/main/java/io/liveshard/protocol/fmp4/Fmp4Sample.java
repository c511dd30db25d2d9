package io.liveshard.protocol.fmp4;

import io.liveshard.protocol.media.MediaFrame;

/**
 * One sample (a video access unit or an audio frame) of a movie fragment. {@code data[offset, offset + length)} is
 * the codec payload, referenced not copied: the bytes are copied once, into the mdat, when the fragment is built.
 * Validation happens there too, so a bad sample is reported with its track and position.
 *
 * @param decodeTime        decode time in the track timescale
 * @param duration          time to the next sample's decode time, in the track timescale; must not be negative
 * @param compositionOffset presentation time minus decode time, in the track timescale; negative is allowed
 *                          (trun version 1)
 * @param keyframe          true when a decoder can start at this sample (sync sample); audio samples are always
 *                          written as sync samples
 * @param data              the array holding the payload
 * @param offset            where the payload starts in {@code data}
 * @param length            the payload size in bytes
 */
public record Fmp4Sample(
        long decodeTime,
        int duration,
        int compositionOffset,
        boolean keyframe,
        byte[] data,
        int offset,
        int length) {

    /**
     * The sample for a media frame, with times converted from milliseconds. The decode time and the duration are
     * both differences of converted timestamps, so consecutive durations add up to the decode times exactly and
     * rounding never accumulates drift.
     *
     * @param nextDtsMillis the decode timestamp of the track's next frame, which ends this one
     * @throws Fmp4Exception when the next frame decodes before this one or the duration does not fit 32 bits
     */
    public static Fmp4Sample of(Fmp4Track track, MediaFrame frame, long nextDtsMillis) throws Fmp4Exception {
        long decodeTime = track.toTimescale(frame.dts());
        long duration = track.toTimescale(nextDtsMillis) - decodeTime;
        if (duration < 0 || duration > Integer.MAX_VALUE) {
            throw new Fmp4Exception("track " + track.trackId() + ": frame at dts " + frame.dts()
                    + " ms is followed by dts " + nextDtsMillis + " ms, a duration of " + duration + " units");
        }
        int compositionOffset = Math.toIntExact(track.toTimescale(frame.pts()) - decodeTime);
        return new Fmp4Sample(decodeTime, (int) duration, compositionOffset, frame.keyframe() || !track.isVideo(),
                frame.body(), frame.payloadOffset(), frame.payloadLength());
    }
}
