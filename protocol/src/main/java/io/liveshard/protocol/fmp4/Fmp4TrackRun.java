package io.liveshard.protocol.fmp4;

import java.util.List;

/**
 * The samples of one track in one movie fragment, in decode order; becomes one traf with one trun.
 *
 * @param track   the track the samples belong to, as declared in the init segment
 * @param samples the samples, consecutive in decode time
 */
public record Fmp4TrackRun(Fmp4Track track, List<Fmp4Sample> samples) {

    public Fmp4TrackRun {
        samples = List.copyOf(samples);
    }
}
