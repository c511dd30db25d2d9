package io.liveshard.node.hls;

import io.liveshard.protocol.flv.FlvFormatException;
import io.liveshard.protocol.flv.FlvMediaParser;
import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.media.MediaFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real H.264 and AAC frames from the protocol module's ffmpeg-made FLV fixture (read from its source tree: Maven
 * runs tests in the module's folder), one of each kind, for segmenter tests to re-time into longer streams.
 */
record FixtureFrames(MediaFrame videoConfig, MediaFrame audioConfig, MediaFrame keyframe, MediaFrame interFrame,
                     MediaFrame audioFrame) {

    private static final Path FIXTURE = Path.of("../protocol/src/test/resources/flv/testsrc2-320x240-15fps-aac.flv");

    static FixtureFrames read() throws IOException, FlvFormatException {
        MediaFrame videoConfig = null;
        MediaFrame audioConfig = null;
        MediaFrame keyframe = null;
        MediaFrame interFrame = null;
        MediaFrame audioFrame = null;
        FlvStreamReader reader = new FlvStreamReader();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(FIXTURE));
        while (reader.feed(bytes) == FlvStreamReader.Result.TAG) {
            var tag = reader.tag();
            if (tag.type() == FlvTagType.SCRIPT) {
                continue;
            }
            MediaFrame frame = tag.type() == FlvTagType.VIDEO
                    ? FlvMediaParser.parseVideo(tag.body(), tag.timestamp(), System.nanoTime())
                    : FlvMediaParser.parseAudio(tag.body(), tag.timestamp(), System.nanoTime());
            if (frame.config() && frame.isVideo()) {
                videoConfig = frame;
            } else if (frame.config()) {
                audioConfig = frame;
            } else if (frame.isVideo() && frame.keyframe() && keyframe == null) {
                keyframe = frame;
            } else if (frame.isVideo() && !frame.keyframe() && interFrame == null) {
                interFrame = frame;
            } else if (frame.isAudio() && audioFrame == null) {
                audioFrame = frame;
            }
        }
        return new FixtureFrames(videoConfig, audioConfig, keyframe, interFrame, audioFrame);
    }
}
