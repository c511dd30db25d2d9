package io.liveshard.node.flv;

import io.liveshard.node.stream.TimestampRebaser;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.flv.FlvWriter;
import io.liveshard.protocol.media.MediaFrame;
import java.util.List;
import org.apache.pekko.util.ByteString;

/**
 * One HTTP-FLV viewer's encoder: turns batches of frames into FLV bytes. Tag bodies are the frames' own arrays,
 * wrapped, never copied; the only bytes made per viewer are the 15 bytes around each tag (previous tag size and tag
 * header, which hold the viewer's own rebased timestamp), written for a whole batch into one array.
 */
public final class FlvEgressEncoder {

    /** PreviousTagSize of the tag before, then this tag's header. */
    private static final int BYTES_BEFORE_TAG = 4 + FlvWriter.TAG_HEADER_SIZE;

    private final TimestampRebaser rebaser = new TimestampRebaser();
    private final boolean hasAudio;
    private final boolean hasVideo;
    private boolean headerSent;
    private int previousTagSize;

    public FlvEgressEncoder(boolean hasAudio, boolean hasVideo) {
        this.hasAudio = hasAudio;
        this.hasVideo = hasVideo;
    }

    /** Encodes a batch; the first batch starts with the FLV file header. */
    public ByteString encode(List<MediaFrame> frames) {
        byte[] headers = new byte[frames.size() * BYTES_BEFORE_TAG];
        ByteString bytes = ByteString.emptyByteString();
        if (!headerSent) {
            // The file header already ends with PreviousTagSize0, so the first tag has no size of a tag before it.
            byte[] fileHeader = FlvWriter.fileHeader(hasAudio, hasVideo);
            bytes = ByteString.fromArrayUnsafe(fileHeader, 0, fileHeader.length - 4);
            headerSent = true;
        }
        int offset = 0;
        for (MediaFrame frame : frames) {
            FlvTagType type = FlvWriter.tagTypeOf(frame);
            FlvWriter.writePreviousTagSize(headers, offset, previousTagSize);
            FlvWriter.writeTagHeader(headers, offset + 4, type, frame.body().length, rebaser.rebase(frame));
            bytes = bytes.concat(ByteString.fromArrayUnsafe(headers, offset, BYTES_BEFORE_TAG))
                    .concat(ByteString.fromArrayUnsafe(frame.body()));
            previousTagSize = FlvWriter.TAG_HEADER_SIZE + frame.body().length;
            offset += BYTES_BEFORE_TAG;
        }
        return bytes;
    }
}
