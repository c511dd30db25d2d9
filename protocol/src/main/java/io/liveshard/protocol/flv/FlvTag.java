package io.liveshard.protocol.flv;

/**
 * One tag read from an FLV byte stream by {@link FlvStreamReader}.
 *
 * @param type      the TagType
 * @param timestamp the 32-bit timestamp in milliseconds (Timestamp plus TimestampExtended as the high byte)
 * @param body      the tag data (VIDEODATA, AUDIODATA or SCRIPTDATA), exactly DataSize bytes
 */
public record FlvTag(FlvTagType type, long timestamp, byte[] body) {

    @Override
    public String toString() {
        return "FlvTag[" + type + " ts=" + timestamp + " bytes=" + body.length + "]";
    }
}
