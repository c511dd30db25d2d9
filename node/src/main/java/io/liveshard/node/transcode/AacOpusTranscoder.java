package io.liveshard.node.transcode;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.FF_COMPLIANCE_EXPERIMENTAL;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_reset;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_mallocz;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * AAC to Opus with FFmpeg's libraries: decodes raw AAC frames (the stream's AudioSpecificConfig is the decoder's
 * extradata), resamples to 48 kHz (swresample), and encodes Opus in 20 ms packets, the packet duration WebRTC
 * receivers expect.
 *
 * <p>Channels: a mono source is encoded as mono Opus, anything else as stereo. The encoder is opened for the first
 * decoded frame, because only the decoder knows the channels for sure (HE-AAC v2 announces mono and decodes to
 * stereo). Mono Opus costs the encoder about half of stereo and is what the source has; receivers of
 * {@code opus/48000/2} play it, as mono and stereo are told apart by each packet's TOC byte (RFC 7587 7.1).
 *
 * <p>Timestamps: the source's millisecond timestamps are only used to place the first sample (and to re-place it
 * after a jump of more than {@link #RESYNC_SAMPLES}, e.g. a publisher that reconnected); after that the 48 kHz
 * timestamps count samples, so the ±1 ms rounding of FLV timestamps never reaches the RTP clock. The encoder's
 * look-ahead is subtracted from packet timestamps (FFmpeg does it), so a decoded sample plays at its source time.
 *
 * <p>Native memory is owned here and freed by {@link #close()}. One instance per stream, one thread at a time.
 */
public final class AacOpusTranscoder implements AutoCloseable {

    /** The Opus RTP clock and the rate Opus encodes at (RFC 7587 4.1). */
    public static final int OPUS_RATE = 48_000;
    /** The most channels WebRTC plays (opus/48000/2, RFC 7587 7); sources with more are mixed down to it. */
    private static final int MAX_OPUS_CHANNELS = 2;
    /** 20 ms at 48 kHz, what browsers send and expect (RFC 7587 leaves it to the sender, 2.5..120 ms). */
    public static final int SAMPLES_PER_PACKET = 960;
    /** Source timestamps further than this (200 ms) from the sample count re-place the audio: a gap or a jump. */
    static final long RESYNC_SAMPLES = OPUS_RATE / 5;
    /** libopus's expected loss (percent) so that its in-band FEC has something to do (libopus ignores FEC at 0). */
    private static final String EXPECTED_LOSS_PERCENT = "10";
    /** AVERROR(EAGAIN) on Linux: the codec wants more input before it has output. */
    private static final int AVERROR_EAGAIN = -11;
    private static final int SAMPLES_PER_MILLISECOND = OPUS_RATE / 1000;

    private final AVCodecContext decoder;
    private final OpusEncoderSettings settings;
    private final AVPacket packet;
    private final AVFrame decoded;
    private final AVFrame toEncode;
    /** Opened for the first decoded frame, with its channels; null before. */
    private AVCodecContext encoder;
    private AVAudioFifo fifo;
    private int encoderFormat;

    private SwrContext resampler;
    private final AVChannelLayout resamplerInput = new AVChannelLayout();
    private int resamplerInputFormat = -1;
    private int resamplerInputRate;
    private AVFrame resampled;
    private int resampledCapacity;
    /** 48 kHz timestamp of the FIFO's first sample; the next source frame is expected at it plus the FIFO size. */
    private long fifoTimestamp;
    private boolean placed;
    private long resyncs;
    private boolean closed;

    private AacOpusTranscoder(AVCodecContext decoder, OpusEncoderSettings settings) {
        this.decoder = decoder;
        this.settings = settings;
        this.packet = av_packet_alloc();
        this.decoded = av_frame_alloc();
        this.toEncode = av_frame_alloc();
    }

    /**
     * Opens a decoder for {@code audioSpecificConfig[offset, offset + length)}; the Opus encoder, as {@code settings}
     * say, follows with the first decoded frame.
     */
    public static AacOpusTranscoder open(byte[] audioSpecificConfig, int offset, int length,
                                         OpusEncoderSettings settings)
            throws TranscodeException {
        if (length < 2) {
            throw new TranscodeException("AudioSpecificConfig of " + length + " bytes (ISO 14496-3 1.6.2.1 needs 2)");
        }
        return new AacOpusTranscoder(openDecoder(audioSpecificConfig, offset, length), settings);
    }

    /**
     * Transcodes one raw AAC frame; Opus packets completed by it (none, one or two: 23 ms of AAC at 44.1 kHz against
     * 20 ms of Opus) are added to {@code out}.
     */
    public void transcode(byte[] aac, int offset, int length, long ptsMillis, long ingestNanos, List<OpusPacket> out)
            throws TranscodeException {
        if (closed) {
            throw new IllegalStateException("transcoder closed");
        }
        check(av_new_packet(packet, length), "av_new_packet");
        packet.data().put(aac, offset, length);
        packet.pts(ptsMillis);
        packet.dts(ptsMillis);
        int sent = avcodec_send_packet(decoder, packet);
        av_packet_unref(packet);
        check(sent, "avcodec_send_packet (AAC)");
        while (true) {
            int received = avcodec_receive_frame(decoder, decoded);
            if (received == AVERROR_EAGAIN || received == AVERROR_EOF()) {
                return;
            }
            check(received, "avcodec_receive_frame (AAC)");
            long framePts = decoded.pts() == AV_NOPTS_VALUE ? ptsMillis : decoded.pts();
            ensureEncoder();
            queueSamples(framePts * SAMPLES_PER_MILLISECOND);
            encodeQueued(ingestNanos, out);
        }
    }

    /** How often the source's timestamps jumped and the audio was re-placed. */
    public long resyncs() {
        return resyncs;
    }

    /**
     * The encoder's look-ahead in 48 kHz samples: what Opus adds to the audio's delay beyond its 20 ms frames; once
     * a frame has been decoded.
     */
    int lookAheadSamples() {
        return openedEncoder().initial_padding();
    }

    /** The channels Opus is encoded with (1 or 2), once a frame has been decoded. */
    int encodedChannels() {
        return openedEncoder().ch_layout().nb_channels();
    }

    private AVCodecContext openedEncoder() {
        if (encoder == null) {
            throw new IllegalStateException("no frame decoded yet, the encoder is not open");
        }
        return encoder;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (resampler != null) {
            swr_free(resampler);
        }
        if (resampled != null) {
            av_frame_free(resampled);
        }
        av_frame_free(decoded);
        av_frame_free(toEncode);
        av_packet_free(packet);
        if (fifo != null) {
            av_audio_fifo_free(fifo);
        }
        avcodec_free_context(decoder);
        if (encoder != null) {
            avcodec_free_context(encoder);
        }
        av_channel_layout_uninit(resamplerInput);
        resamplerInput.close();
    }

    private static AVCodecContext openDecoder(byte[] config, int offset, int length) throws TranscodeException {
        AVCodec aac = avcodec_find_decoder(AV_CODEC_ID_AAC);
        if (aac == null) {
            throw new TranscodeException("FFmpeg has no AAC decoder");
        }
        AVCodecContext context = avcodec_alloc_context3(aac);
        // av_mallocz: the context frees its extradata with av_free; the padding is what FFmpeg's readers expect.
        BytePointer extradata = new BytePointer(av_mallocz(length + AV_INPUT_BUFFER_PADDING_SIZE));
        extradata.put(config, offset, length);
        context.extradata(extradata);
        context.extradata_size(length);
        context.pkt_timebase(rational(1, 1000));
        int opened = avcodec_open2(context, aac, (AVDictionary) null);
        if (opened < 0) {
            avcodec_free_context(context);
            throw new TranscodeException("AAC decoder refused the AudioSpecificConfig: "
                    + FfmpegCodecs.describe(opened));
        }
        return context;
    }

    /** Opens the encoder, its FIFO and its frame for the channels of the first decoded frame. */
    private void ensureEncoder() throws TranscodeException {
        if (encoder != null) {
            return;
        }
        int channels = decoded.ch_layout().nb_channels() == 1 ? 1 : MAX_OPUS_CHANNELS;
        encoder = openEncoder(settings, channels);
        encoderFormat = encoder.sample_fmt();
        fifo = av_audio_fifo_alloc(encoderFormat, channels, SAMPLES_PER_PACKET * 4);
        toEncode.format(encoderFormat);
        check(av_channel_layout_copy(toEncode.ch_layout(), encoder.ch_layout()), "av_channel_layout_copy");
        toEncode.sample_rate(OPUS_RATE);
        toEncode.nb_samples(SAMPLES_PER_PACKET);
        check(av_frame_get_buffer(toEncode, 0), "av_frame_get_buffer");
    }

    private static AVCodecContext openEncoder(OpusEncoderSettings settings, int channels) throws TranscodeException {
        String name = FfmpegCodecs.opusEncoderName();
        AVCodec opus = avcodec_find_encoder_by_name(name);
        AVCodecContext context = avcodec_alloc_context3(opus);
        context.sample_rate(OPUS_RATE);
        av_channel_layout_default(context.ch_layout(), channels);
        context.bit_rate(settings.bitrate());
        context.compression_level(settings.complexity());
        context.time_base(rational(1, OPUS_RATE));
        if (name.equals("libopus")) {
            context.sample_fmt(AV_SAMPLE_FMT_FLT);
            av_opt_set(context.priv_data(), "application", settings.application().ffmpegName(), 0);
            av_opt_set(context.priv_data(), "frame_duration", "20", 0);
            if (settings.inBandFec()) {
                av_opt_set(context.priv_data(), "fec", "1", 0);
                av_opt_set(context.priv_data(), "packet_loss", EXPECTED_LOSS_PERCENT, 0);
            }
        } else {
            context.sample_fmt(AV_SAMPLE_FMT_FLTP);
            context.strict_std_compliance(FF_COMPLIANCE_EXPERIMENTAL);
        }
        int opened = avcodec_open2(context, opus, (AVDictionary) null);
        if (opened < 0) {
            avcodec_free_context(context);
            throw new TranscodeException("Opus encoder " + name + " did not open: " + FfmpegCodecs.describe(opened));
        }
        if (context.frame_size() != SAMPLES_PER_PACKET) {
            int size = context.frame_size();
            avcodec_free_context(context);
            throw new TranscodeException("Opus encoder " + name + " uses " + size + "-sample frames, not "
                    + SAMPLES_PER_PACKET);
        }
        return context;
    }

    /** Resamples the decoded frame into the FIFO, first placing it in time if it is the first or a jump. */
    private void queueSamples(long sourceTimestamp) throws TranscodeException {
        ensureResampler();
        long expected = fifoTimestamp + av_audio_fifo_size(fifo);
        if (!placed || Math.abs(sourceTimestamp - expected) > RESYNC_SAMPLES) {
            if (placed) {
                resyncs++;
            }
            // Leftover samples (under 20 ms) belong before the jump; they are dropped rather than mistimed.
            av_audio_fifo_reset(fifo);
            fifoTimestamp = sourceTimestamp;
            placed = true;
        }
        int capacity = swr_get_out_samples(resampler, decoded.nb_samples());
        check(capacity, "swr_get_out_samples");
        ensureResampledCapacity(capacity);
        int converted = swr_convert(resampler, resampled.extended_data(), capacity, decoded.extended_data(),
                decoded.nb_samples());
        check(converted, "swr_convert");
        if (converted > 0 && av_audio_fifo_write(fifo, resampled.extended_data(), converted) < converted) {
            throw new TranscodeException("av_audio_fifo_write could not take " + converted + " samples");
        }
    }

    private void encodeQueued(long ingestNanos, List<OpusPacket> out) throws TranscodeException {
        while (av_audio_fifo_size(fifo) >= SAMPLES_PER_PACKET) {
            check(av_frame_make_writable(toEncode), "av_frame_make_writable");
            if (av_audio_fifo_read(fifo, toEncode.extended_data(), SAMPLES_PER_PACKET) < SAMPLES_PER_PACKET) {
                throw new TranscodeException("av_audio_fifo_read returned less than " + SAMPLES_PER_PACKET
                        + " samples");
            }
            toEncode.pts(fifoTimestamp);
            fifoTimestamp += SAMPLES_PER_PACKET;
            check(avcodec_send_frame(encoder, toEncode), "avcodec_send_frame (Opus)");
            while (true) {
                int received = avcodec_receive_packet(encoder, packet);
                if (received == AVERROR_EAGAIN || received == AVERROR_EOF()) {
                    break;
                }
                check(received, "avcodec_receive_packet (Opus)");
                byte[] data = new byte[packet.size()];
                packet.data().get(data);
                out.add(new OpusPacket(data, packet.pts(), ingestNanos));
                av_packet_unref(packet);
            }
        }
    }

    /** (Re)creates the resampler when the decoded format, layout or rate differ from what it was made for. */
    private void ensureResampler() throws TranscodeException {
        if (resampler != null && decoded.format() == resamplerInputFormat && decoded.sample_rate() == resamplerInputRate
                && av_channel_layout_compare(decoded.ch_layout(), resamplerInput) == 0) {
            return;
        }
        if (resampler != null) {
            swr_free(resampler);
            resampler = null;
        }
        SwrContext context;
        try (PointerPointer<SwrContext> made = new PointerPointer<>(1)) {
            made.put(0, (Pointer) null); // swr_alloc_set_opts2 reuses a context it finds there; JavaCPP does not zero
            check(swr_alloc_set_opts2(made, encoder.ch_layout(), encoderFormat, OPUS_RATE, decoded.ch_layout(),
                    decoded.format(), decoded.sample_rate(), 0, null), "swr_alloc_set_opts2");
            context = made.get(SwrContext.class, 0);
        }
        int initialised = swr_init(context);
        if (initialised < 0) {
            swr_free(context);
            throw new TranscodeException("swr_init from " + decoded.sample_rate() + " Hz, "
                    + decoded.ch_layout().nb_channels() + " channels: " + FfmpegCodecs.describe(initialised));
        }
        resampler = context;
        resamplerInputFormat = decoded.format();
        resamplerInputRate = decoded.sample_rate();
        check(av_channel_layout_copy(resamplerInput, decoded.ch_layout()), "av_channel_layout_copy");
    }

    private void ensureResampledCapacity(int samples) throws TranscodeException {
        if (resampled != null && resampledCapacity >= samples) {
            return;
        }
        if (resampled != null) {
            av_frame_free(resampled);
        }
        resampled = av_frame_alloc();
        resampled.format(encoderFormat);
        check(av_channel_layout_copy(resampled.ch_layout(), encoder.ch_layout()), "av_channel_layout_copy");
        resampled.sample_rate(OPUS_RATE);
        resampled.nb_samples(samples);
        check(av_frame_get_buffer(resampled, 0), "av_frame_get_buffer");
        resampledCapacity = samples;
    }

    private static AVRational rational(int numerator, int denominator) {
        return new AVRational().num(numerator).den(denominator);
    }

    private static void check(int result, String call) throws TranscodeException {
        if (result < 0) {
            throw new TranscodeException(call + " failed: " + FfmpegCodecs.describe(result));
        }
    }
}
