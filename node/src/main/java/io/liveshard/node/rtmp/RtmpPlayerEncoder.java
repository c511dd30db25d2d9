package io.liveshard.node.rtmp;

import io.liveshard.node.metrics.TrafficMeter;
import io.liveshard.node.stream.TimestampRebaser;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.rtmp.RtmpChunkSink;
import io.liveshard.protocol.rtmp.RtmpMediaWriter;
import io.liveshard.protocol.rtmp.RtmpMessageType;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.util.ByteString;

/**
 * One RTMP player's media encoder, run by its socket's event loop: a batch of frames becomes chunks on the media
 * chunk streams with the player's own rebased timestamps. Payloads are sliced, never copied.
 */
final class RtmpPlayerEncoder implements Function<List<MediaFrame>, ByteString>, RtmpChunkSink {

    private final RtmpMediaWriter writer;
    private final TrafficMeter.Series traffic;
    private final TimestampRebaser rebaser = new TimestampRebaser();
    private ByteString bytes = ByteString.emptyByteString();

    RtmpPlayerEncoder(RtmpMediaWriter writer, TrafficMeter.Series traffic) {
        this.writer = writer;
        this.traffic = traffic;
    }

    @Override
    public ByteString apply(List<MediaFrame> frames) {
        bytes = ByteString.emptyByteString();
        for (MediaFrame frame : frames) {
            writer.write(typeIdOf(frame), rebaser.rebase(frame), frame.body(), this);
        }
        traffic.sent(bytes.size());
        return bytes;
    }

    @Override
    public void write(byte[] array, int offset, int length) {
        bytes = bytes.concat(ByteString.fromArrayUnsafe(array, offset, length));
    }

    private static int typeIdOf(MediaFrame frame) {
        return switch (frame.kind()) {
            case VIDEO -> RtmpMessageType.VIDEO.code();
            case AUDIO -> RtmpMessageType.AUDIO.code();
            case DATA -> RtmpMessageType.DATA_AMF0.code();
        };
    }
}
