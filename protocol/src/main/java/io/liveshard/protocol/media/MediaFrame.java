package io.liveshard.protocol.media;

/**
 * One immutable unit of a live stream: a video access unit, an audio frame, a codec configuration (sequence
 * header) or script data. It is shared read-only by every subscriber: nobody may write into {@link #body()}.
 *
 * <p>The frame keeps the FLV tag body it arrived in ({@code body}), because FLV and RTMP are the lingua franca of
 * live ingest: FLV and RTMP egress forward that body untouched (legacy and Enhanced RTMP alike), while other
 * outputs read only the codec payload, which starts at {@code payloadOffset} (AVCC NAL units for H.264/H.265, a raw
 * AAC frame, an AudioSpecificConfig, ...).
 *
 * @param kind          video, audio or data
 * @param codec         the codec of the payload
 * @param config        true for a codec configuration (AVC/HEVC decoder configuration record, AAC AudioSpecificConfig,
 *                      Enhanced RTMP SequenceStart)
 * @param keyframe      true for a video frame a decoder can start from (IDR for H.264)
 * @param dts           decode timestamp in milliseconds, as carried by RTMP/FLV (may exceed 2^32 after rebasing)
 * @param cts           composition time offset in milliseconds; {@code pts = dts + cts}
 * @param body          the FLV tag body (RTMP message payload), never modified after construction
 * @param payloadOffset where the codec payload starts inside {@code body}
 * @param ingestNanos   {@link System#nanoTime()} when the frame's last byte was received, for server-added latency
 */
public record MediaFrame(
        MediaKind kind,
        MediaCodec codec,
        boolean config,
        boolean keyframe,
        long dts,
        int cts,
        byte[] body,
        int payloadOffset,
        long ingestNanos) {

    public MediaFrame {
        if (codec.kind() != kind) {
            throw new IllegalArgumentException("codec " + codec + " is not " + kind);
        }
        if (payloadOffset < 0 || payloadOffset > body.length) {
            throw new IllegalArgumentException("payload offset " + payloadOffset + " outside body of " + body.length);
        }
    }

    public long pts() {
        return dts + cts;
    }

    public int payloadLength() {
        return body.length - payloadOffset;
    }

    public boolean isVideo() {
        return kind == MediaKind.VIDEO;
    }

    public boolean isAudio() {
        return kind == MediaKind.AUDIO;
    }

    /** The same frame with another decode timestamp: used to rebase timestamps without copying the body. */
    public MediaFrame withDts(long newDts) {
        return new MediaFrame(kind, codec, config, keyframe, newDts, cts, body, payloadOffset, ingestNanos);
    }

    @Override
    public String toString() {
        return "MediaFrame[" + kind + " " + codec + (config ? " config" : "") + (keyframe ? " key" : "")
                + " dts=" + dts + " cts=" + cts + " bytes=" + body.length + "]";
    }
}
