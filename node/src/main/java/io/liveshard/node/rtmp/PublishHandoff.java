package io.liveshard.node.rtmp;

/**
 * Between a connection's publish request and the stream's answer, the connection may go away: its stage stops and
 * drops the answer it would have been told. A publish the stream accepted meanwhile would then belong to nobody,
 * and the stream would refuse every later publisher. This hand-off decides, under one lock, who lets such a publish
 * go: the thread with the answer, when the stage has stopped already; the stopping stage, when an accepted answer
 * is on its way to it.
 */
final class PublishHandoff {

    private boolean stopped;
    private boolean acceptedInFlight;

    /**
     * The stream accepted; called before the answer is passed to the stage.
     *
     * @return false when the stage has stopped: the caller must let the publish go
     */
    synchronized boolean accepted() {
        if (stopped) {
            return false;
        }
        acceptedInFlight = true;
        return true;
    }

    /** The stage took the accepted answer; from now on it unpublishes as it ends. */
    synchronized void taken() {
        acceptedInFlight = false;
    }

    /**
     * The stage stops.
     *
     * @return true when an accepted answer was on its way and will never be taken: the stage must let it go
     */
    synchronized boolean stop() {
        stopped = true;
        return acceptedInFlight;
    }
}
