package io.liveshard.protocol.rtmp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Keeps everything written to it, plus the arrays it was handed, to check the zero-copy contract. */
final class RtmpRecordingSink implements RtmpChunkSink {

    record Slice(byte[] array, int offset, int length) {
    }

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Slice> slices = new ArrayList<>();

    @Override
    public void write(byte[] array, int offset, int length) {
        slices.add(new Slice(array, offset, length));
        bytes.write(array, offset, length);
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
