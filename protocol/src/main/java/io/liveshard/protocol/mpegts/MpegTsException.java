package io.liveshard.protocol.mpegts;

/**
 * A frame or codec configuration that cannot be written as MPEG-TS: bad AVCC length prefixes, a truncated decoder
 * configuration record, an AAC configuration ADTS cannot express. The message names the frame and what was wrong;
 * the muxer's state is unchanged, so the stream can go on with the next frame.
 */
public class MpegTsException extends Exception {

    public MpegTsException(String message) {
        super(message);
    }
}
