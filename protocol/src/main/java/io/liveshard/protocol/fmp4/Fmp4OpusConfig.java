package io.liveshard.protocol.fmp4;

import io.liveshard.protocol.codec.CodecFormatException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Opus decoder setup, read from an OpusHead (RFC 7845, 5.1: little-endian, version 1) and written as the body of
 * the dOps box (Opus in ISOBMFF, 4.3.2: big-endian, version 0). The two carry the same fields.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7845#section-5.1">RFC 7845, 5.1 Identification Header</a>
 * @see <a href="https://opus-codec.org/docs/opus_in_isobmff.html">Encapsulation of Opus in ISOBMFF, 4.3.2</a>
 */
record Fmp4OpusConfig(int channels, int preSkip, long inputSampleRate, int outputGain, int mappingFamily,
                      int streamCount, int coupledCount, byte[] channelMapping) {

    /** What a stream without an OpusHead is taken to be: stereo, no pre-skip, 48 kHz input, mapping family 0. */
    static final Fmp4OpusConfig DEFAULT = new Fmp4OpusConfig(2, 0, 48_000, 0, 0, 0, 0, new byte[0]);

    private static final byte[] MAGIC = "OpusHead".getBytes(StandardCharsets.US_ASCII);

    /** magic, version, channel count, pre-skip, input rate, gain, mapping family (RFC 7845, 5.1). */
    private static final int FIXED_SIZE = 19;

    /** The dOps version this writer produces (Opus in ISOBMFF, 4.3.2). */
    private static final int DOPS_VERSION = 0;

    /** OpusHead versions with major version 0 (upper nibble) are compatible (RFC 7845, 5.1 item 2). */
    private static final int MAJOR_VERSION_MASK = 0xF0;

    static Fmp4OpusConfig fromOpusHead(byte[] head) throws CodecFormatException {
        if (head.length < FIXED_SIZE || !Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CodecFormatException("an Opus configuration of " + head.length
                    + " bytes is not an OpusHead");
        }
        int version = head[8] & 0xFF;
        if ((version & MAJOR_VERSION_MASK) != 0) {
            throw new CodecFormatException("OpusHead version " + version + " is not 0.x");
        }
        int channels = head[9] & 0xFF;
        if (channels == 0) {
            throw new CodecFormatException("OpusHead has 0 channels");
        }
        int preSkip = (head[10] & 0xFF) | (head[11] & 0xFF) << 8;
        long inputRate = (head[12] & 0xFFL) | (head[13] & 0xFFL) << 8 | (head[14] & 0xFFL) << 16
                | (head[15] & 0xFFL) << 24;
        int gain = (short) ((head[16] & 0xFF) | (head[17] & 0xFF) << 8);
        int family = head[18] & 0xFF;
        if (family == 0) {
            if (channels > 2) {
                throw new CodecFormatException("OpusHead mapping family 0 allows 1 or 2 channels, not " + channels);
            }
            return new Fmp4OpusConfig(channels, preSkip, inputRate, gain, 0, 0, 0, new byte[0]);
        }
        if (head.length < FIXED_SIZE + 2 + channels) {
            throw new CodecFormatException("OpusHead with mapping family " + family + " is truncated: "
                    + head.length + " bytes for " + channels + " channels");
        }
        return new Fmp4OpusConfig(channels, preSkip, inputRate, gain, family, head[19] & 0xFF, head[20] & 0xFF,
                Arrays.copyOfRange(head, FIXED_SIZE + 2, FIXED_SIZE + 2 + channels));
    }

    /** The dOps box content (after its header). */
    byte[] toDops() {
        Mp4BoxWriter out = new Mp4BoxWriter(16 + channelMapping.length);
        out.u8(DOPS_VERSION).u8(channels).u16(preSkip).u32(inputSampleRate).u16(outputGain).u8(mappingFamily);
        if (mappingFamily != 0) {
            out.u8(streamCount).u8(coupledCount).bytes(channelMapping);
        }
        return out.toByteArray();
    }
}
