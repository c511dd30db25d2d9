package io.liveshard.protocol.rtmp;

import io.liveshard.protocol.media.StreamKey;

/**
 * What an {@link RtmpServerSession} reports to the server around it. Every callback runs on the thread that called
 * into the session, inside that call; a callback may call back into the session (e.g. accept a publish at once).
 */
public interface RtmpSessionListener {

    /** The client connected to an application; {@code app} has any {@code ?query} and trailing slash removed. */
    void onConnect(String app, String tcUrl);

    /**
     * The client wants to publish {@code key} (the name was valid). Answer with
     * {@link RtmpServerSession#acceptPublish()} or {@link RtmpServerSession#rejectPublish(String)}.
     *
     * @param query what followed {@code ?} in the stream name, without the {@code ?}; empty when nothing did
     */
    void onPublish(StreamKey key, String query);

    /**
     * The client wants to play {@code key} (the name was valid). Answer with {@link RtmpServerSession#acceptPlay()}
     * or {@link RtmpServerSession#rejectPlay(String)}.
     */
    void onPlay(StreamKey key, String query);

    /**
     * Audio (8), video (9) or script data (18) from an accepted publisher. A data message arrives without its
     * {@code @setDataFrame} prefix, as the {@code "onMetaData", {...}} an FLV file carries, always with type 18.
     * The payload is shared: nobody may write into it.
     */
    void onMedia(RtmpMessage message);

    /** The client closed its publishing or playing stream (FCUnpublish, deleteStream or closeStream). */
    void onStreamClosed();

    /** Something odd but harmless happened that deserves one log line (an unknown command, an unknown event). */
    void onNotice(String message);
}
