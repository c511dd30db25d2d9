package io.liveshard.node.transcode;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's libraries as the node finds them: loaded once (JavaCPP unpacks the bundled linux-x86_64 natives), with
 * the Opus encoder to use. libopus is preferred; FFmpeg's own {@code opus} encoder is experimental and only the
 * fallback. On a platform without the natives, transcoding is unavailable and artc serves AAC streams without audio.
 */
public final class FfmpegCodecs {

    private static final Logger log = LoggerFactory.getLogger(FfmpegCodecs.class);
    private static final String LIBOPUS = "libopus";
    private static final String NATIVE_OPUS = "opus";
    private static final Availability AVAILABILITY = load();

    private FfmpegCodecs() {
    }

    /** What is missing for AAC to Opus, or empty when transcoding is available. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(AVAILABILITY.problem());
    }

    /** The FFmpeg encoder name used for Opus: {@code libopus} or {@code opus}. */
    static String opusEncoderName() {
        if (AVAILABILITY.opusEncoder() == null) {
            throw new IllegalStateException("no Opus encoder: " + AVAILABILITY.problem());
        }
        return AVAILABILITY.opusEncoder();
    }

    /** FFmpeg's text for an error code of its API. */
    static String describe(int error) {
        byte[] text = new byte[128];
        if (avutil.av_strerror(error, text, text.length) < 0) {
            return "error " + error;
        }
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.US_ASCII) + " (" + error + ")";
    }

    private static Availability load() {
        try {
            // FFmpeg logs to stderr by default; the transcoder reports its own errors with the stream's name.
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            swresample.swresample_version();
            if (avcodec.avcodec_find_decoder(avcodec.AV_CODEC_ID_AAC) == null) {
                return unavailable("this FFmpeg build has no AAC decoder");
            }
            AVCodec libopus = avcodec.avcodec_find_encoder_by_name(LIBOPUS);
            String encoder = libopus != null ? LIBOPUS
                    : avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_OPUS) != null ? NATIVE_OPUS : null;
            if (encoder == null) {
                return unavailable("this FFmpeg build has no Opus encoder");
            }
            log.info("transcode: FFmpeg {} loaded, Opus encoder {}", avutil.av_version_info().getString(), encoder);
            return new Availability(encoder, null);
        } catch (LinkageError e) {
            return unavailable("FFmpeg's native libraries did not load: " + e);
        }
    }

    private static Availability unavailable(String problem) {
        log.warn("transcode: AAC to Opus unavailable, artc viewers of AAC streams get no audio: {}", problem);
        return new Availability(null, problem);
    }

    private record Availability(String opusEncoder, String problem) {
    }
}
