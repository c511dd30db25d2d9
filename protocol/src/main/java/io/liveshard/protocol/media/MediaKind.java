package io.liveshard.protocol.media;

/** What a {@link MediaFrame} carries. */
public enum MediaKind {
    /** A video access unit or a video codec configuration. */
    VIDEO,
    /** An audio frame or an audio codec configuration. */
    AUDIO,
    /** Script data such as {@code onMetaData}. */
    DATA
}
