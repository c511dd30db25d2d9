package io.liveshard.node.transcode;

/** A transcoder could not be opened or could not take a frame; the message names the FFmpeg call and its error. */
public final class TranscodeException extends Exception {

    public TranscodeException(String message) {
        super(message);
    }
}
