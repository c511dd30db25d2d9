package io.liveshard.node.stream;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

/** Small frames for fan-out tests: the bodies are FLV-shaped but only their size matters here. */
final class Frames {

    private Frames() {}

    static MediaFrame videoConfig() {
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, true, true, 0, 0, new byte[] {0x17, 0, 0, 0, 0}, 5, 0);
    }

    static MediaFrame audioConfig() {
        return new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, true, false, 0, 0, new byte[] {(byte) 0xAF, 0, 0x11,
                (byte) 0x90}, 2, 0);
    }

    static MediaFrame key(long dts) {
        return video(dts, true, 100);
    }

    static MediaFrame inter(long dts) {
        return video(dts, false, 100);
    }

    static MediaFrame video(long dts, boolean keyframe, int size) {
        byte[] body = new byte[size];
        body[0] = (byte) (keyframe ? 0x17 : 0x27);
        body[1] = 1;
        return new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, keyframe, dts, 0, body, 5, System.nanoTime());
    }

    static MediaFrame audio(long dts) {
        byte[] body = new byte[20];
        body[0] = (byte) 0xAF;
        body[1] = 1;
        return new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, false, false, dts, 0, body, 2, System.nanoTime());
    }
}
