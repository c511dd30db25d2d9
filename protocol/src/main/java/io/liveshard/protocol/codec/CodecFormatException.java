package io.liveshard.protocol.codec;

/**
 * Codec bitstream data (an SPS, a decoder configuration record, an AudioSpecificConfig, length-prefixed NAL units)
 * that does not follow its specification. The message names the field and what was wrong.
 */
public class CodecFormatException extends Exception {

    public CodecFormatException(String message) {
        super(message);
    }
}
