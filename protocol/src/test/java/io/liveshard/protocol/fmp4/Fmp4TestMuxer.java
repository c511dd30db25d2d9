package io.liveshard.protocol.fmp4;

import io.liveshard.protocol.media.MediaFrame;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Muxes a whole recorded stream into init segment + fragments the way a live segmenter would: a fragment starts at
 * every video key frame and at least every {@value #MAX_FRAGMENT_MILLIS} ms, each sample lasts until the next frame
 * of its track, and the very last sample repeats the duration before it.
 */
final class Fmp4TestMuxer {

    static final long MAX_FRAGMENT_MILLIS = 500;

    /** What was muxed: the file, and what the test expects a demuxer to find in it. */
    record Muxed(byte[] file, List<byte[]> fragments, int videoFrames, int audioFrames, List<Long> videoPts,
                 List<Long> videoDts) {
    }

    private Fmp4TestMuxer() {
    }

    static Muxed mux(List<MediaFrame> frames) throws Fmp4Exception {
        List<MediaFrame> video = frames.stream()
                .filter(frame -> frame.isVideo() && !frame.config() && frame.payloadLength() > 0).toList();
        List<MediaFrame> audio = frames.stream()
                .filter(frame -> frame.isAudio() && !frame.config() && frame.payloadLength() > 0).toList();
        List<Fmp4Track> tracks = new ArrayList<>();
        Fmp4Track videoTrack = Fmp4Track.video(1, Fmp4TestMedia.firstConfig(frames, true));
        tracks.add(videoTrack);
        Fmp4Track audioTrack = audio.isEmpty() ? null : Fmp4Track.audio(2, Fmp4TestMedia.firstConfig(frames, false));
        if (audioTrack != null) {
            tracks.add(audioTrack);
        }

        List<Long> cuts = new ArrayList<>();
        for (MediaFrame frame : video) {
            if (cuts.isEmpty() || frame.keyframe() || frame.dts() - cuts.get(cuts.size() - 1) >= MAX_FRAGMENT_MILLIS) {
                cuts.add(frame.dts());
            }
        }

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(Fmp4InitSegment.build(tracks));
        List<byte[]> fragments = new ArrayList<>();
        for (int k = 0; k < cuts.size(); k++) {
            long from = k == 0 ? Long.MIN_VALUE : cuts.get(k);
            long to = k + 1 < cuts.size() ? cuts.get(k + 1) : Long.MAX_VALUE;
            List<Fmp4TrackRun> runs = new ArrayList<>();
            addRun(runs, videoTrack, video, from, to);
            if (audioTrack != null) {
                addRun(runs, audioTrack, audio, from, to);
            }
            byte[] fragment = Fmp4Fragment.build(k + 1, runs);
            fragments.add(fragment);
            file.writeBytes(fragment);
        }
        List<Long> pts = video.stream().map(frame -> videoTrack.toTimescale(frame.pts())).toList();
        List<Long> dts = video.stream().map(frame -> videoTrack.toTimescale(frame.dts())).toList();
        return new Muxed(file.toByteArray(), fragments, video.size(), audio.size(), pts, dts);
    }

    private static void addRun(List<Fmp4TrackRun> runs, Fmp4Track track, List<MediaFrame> frames, long from, long to)
            throws Fmp4Exception {
        List<Fmp4Sample> samples = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            MediaFrame frame = frames.get(i);
            if (frame.dts() < from || frame.dts() >= to) {
                continue;
            }
            long nextDts = i + 1 < frames.size() ? frames.get(i + 1).dts()
                    : i > 0 ? 2 * frame.dts() - frames.get(i - 1).dts() : frame.dts();
            samples.add(Fmp4Sample.of(track, frame, nextDts));
        }
        if (!samples.isEmpty()) {
            runs.add(new Fmp4TrackRun(track, samples));
        }
    }
}
