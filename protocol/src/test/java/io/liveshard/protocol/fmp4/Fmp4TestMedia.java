package io.liveshard.protocol.fmp4;

import io.liveshard.protocol.flv.FlvFormatException;
import io.liveshard.protocol.flv.FlvMediaParser;
import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTag;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.media.MediaFrame;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Media and box helpers shared by the fMP4 tests. */
final class Fmp4TestMedia {

    static final String FLV_FIXTURE = "/flv/testsrc2-320x240-15fps-aac.flv";
    static final String HVCC_FIXTURE = "/codec/x265-main-640x360.hvcC";

    private Fmp4TestMedia() {
    }

    static byte[] resource(String name) {
        try (InputStream in = Fmp4TestMedia.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every audio and video tag of an FLV file as media frames, in file order. */
    static List<MediaFrame> readFlv(byte[] flv) throws FlvFormatException {
        FlvStreamReader reader = new FlvStreamReader();
        ByteBuffer in = ByteBuffer.wrap(flv);
        List<MediaFrame> frames = new ArrayList<>();
        FlvStreamReader.Result result;
        while ((result = reader.feed(in)) == FlvStreamReader.Result.TAG) {
            FlvTag tag = reader.tag();
            if (tag.type() == FlvTagType.VIDEO) {
                frames.add(FlvMediaParser.parseVideo(tag.body(), tag.timestamp(), 0));
            } else if (tag.type() == FlvTagType.AUDIO) {
                frames.add(FlvMediaParser.parseAudio(tag.body(), tag.timestamp(), 0));
            }
        }
        if (result == FlvStreamReader.Result.BAD_MESSAGE || in.hasRemaining()) {
            throw new FlvFormatException("FLV does not read to its end: " + reader.failureReason());
        }
        return frames;
    }

    static MediaFrame firstConfig(List<MediaFrame> frames, boolean video) {
        return frames.stream()
                .filter(frame -> frame.config() && frame.isVideo() == video)
                .findFirst()
                .orElseThrow();
    }

    /** The fields of a box after its header, big-endian. */
    static ByteBuffer fields(Mp4Box box) {
        return ByteBuffer.wrap(box.data(), box.payloadOffset(), box.payloadLength()).slice();
    }

    /** The fields of a full box after its version and flags. */
    static ByteBuffer fullFields(Mp4Box box) {
        ByteBuffer fields = fields(box);
        fields.position(4);
        return fields.slice();
    }

    /** Follows a path of box types, each step the only child of that type. */
    static Mp4Box path(Mp4Box from, String... types) throws Fmp4Exception {
        Mp4Box box = from;
        for (String type : types) {
            box = box.child(type);
        }
        return box;
    }
}
