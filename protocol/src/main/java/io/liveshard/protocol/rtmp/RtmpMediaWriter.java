package io.liveshard.protocol.rtmp;

/**
 * A player's media messages as chunks (Adobe RTMP specification 1.0, section 5.3), written by another thread than
 * the one running its {@link RtmpServerSession}. Chunk header compression is per chunk stream, so media keeps chunk
 * streams of its own that no control message or command uses: {@value #CSID_AUDIO} audio, {@value #CSID_VIDEO}
 * video, {@value #CSID_DATA} data (metadata). Both writers use the chunk size the session announced; whole messages
 * from either may follow each other on the wire in any order.
 *
 * <p>Payloads are not copied: the sink gets slices of them, so nobody may modify them afterwards.
 */
public final class RtmpMediaWriter {

    public static final int CSID_AUDIO = 4;
    public static final int CSID_VIDEO = 6;
    public static final int CSID_DATA = 7;

    private final RtmpChunkEncoder encoder;
    private final int messageStreamId;

    RtmpMediaWriter(int chunkSize, int messageStreamId) {
        this.encoder = new RtmpChunkEncoder(chunkSize);
        this.messageStreamId = messageStreamId;
    }

    /** Writes an audio (8), video (9) or data (18) message. */
    public void write(int typeId, long timestamp, byte[] body, RtmpChunkSink sink) {
        int csid;
        if (typeId == RtmpMessageType.AUDIO.code()) {
            csid = CSID_AUDIO;
        } else if (typeId == RtmpMessageType.VIDEO.code()) {
            csid = CSID_VIDEO;
        } else if (typeId == RtmpMessageType.DATA_AMF0.code()) {
            csid = CSID_DATA;
        } else {
            throw new IllegalArgumentException("message type " + typeId + " is not audio, video or data");
        }
        encoder.encode(csid, typeId, timestamp, messageStreamId, body, sink);
    }
}
