package io.liveshard.node.api;

import io.liveshard.protocol.codec.AvcDecoderConfigurationRecord;
import io.liveshard.protocol.codec.CodecFormatException;
import io.liveshard.protocol.codec.H264Sps;
import io.liveshard.protocol.codec.H264SpsParser;
import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;

/**
 * A stream's video as its publisher's sequence parameter set declares it, for the API and the console's detail
 * view. Only H.264 is read; other codecs have no format here.
 *
 * @param codec     the RFC 6381 codecs string, e.g. {@code avc1.64001f}
 * @param width     displayed width in pixels
 * @param height    displayed height in pixels
 * @param frameRate frames per second from the SPS's timing info, or null when it carries none
 */
public record VideoFormat(String codec, int width, int height, Double frameRate) {

    /** The format {@code videoConfig} describes, or null when there is none or it cannot be read. */
    static VideoFormat of(MediaFrame videoConfig) {
        if (videoConfig == null || videoConfig.codec() != MediaCodec.H264) {
            return null;
        }
        try {
            byte[] sps = AvcDecoderConfigurationRecord.parse(videoConfig.body(), videoConfig.payloadOffset(),
                    videoConfig.payloadLength()).firstSps();
            H264Sps parsed = H264SpsParser.parse(sps, 0, sps.length);
            // JSON has no NaN: an SPS without timing info gives no frame rate at all.
            Double frameRate = Double.isNaN(parsed.frameRate()) ? null : Math.round(parsed.frameRate() * 100) / 100.0;
            return new VideoFormat(parsed.rfc6381Codec(), parsed.width(), parsed.height(), frameRate);
        } catch (CodecFormatException e) {
            // The publisher's own ingest refuses unreadable configs; this only guards the view.
            return null;
        }
    }
}
