package io.liveshard.protocol.fmp4;

/**
 * Input the fMP4 muxer cannot turn into a valid ISO BMFF structure: a missing or unparsable codec configuration, a
 * codec fMP4 output does not carry, a negative sample duration or size, a sample slice outside its array, or (for
 * {@link Mp4BoxReader}) a box whose size does not fit its parent.
 */
public class Fmp4Exception extends Exception {

    public Fmp4Exception(String message) {
        super(message);
    }

    public Fmp4Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
