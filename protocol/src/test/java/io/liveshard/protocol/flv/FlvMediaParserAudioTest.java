package io.liveshard.protocol.flv;

import static io.liveshard.protocol.flv.FlvTestBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlvMediaParserAudioTest {

    /** FourCCs as hex: 'Opus', 'mp4a', 'fLaC', '.mp3'. */
    private static final String OPUS = "4f707573";
    private static final String MP4A = "6d703461";
    private static final String FLAC = "664c6143";
    private static final String MP3 = "2e6d7033";

    record Expected(MediaCodec codec, boolean config, int payloadOffset) {
    }

    static Stream<Arguments> validTags() {
        return Stream.of(
                valid("AAC sequence header (AudioSpecificConfig)", "af 00 1210", MediaCodec.AAC, true, 2),
                valid("AAC sequence header from ffmpeg with SBR signalling", "af 00 120856e500",
                        MediaCodec.AAC, true, 2),
                valid("AAC raw frame", "af 01 21100567", MediaCodec.AAC, false, 2),
                valid("AAC mono 22 kHz raw frame", "a6 01 0102", MediaCodec.AAC, false, 2),
                valid("MP3", "2f fffb9064", MediaCodec.OTHER_AUDIO, false, 1),
                valid("MP3 8 kHz", "e2 fff3", MediaCodec.OTHER_AUDIO, false, 1),
                valid("Speex", "b2 1234", MediaCodec.OTHER_AUDIO, false, 1),
                valid("G.711 A-law", "72 d5d5", MediaCodec.OTHER_AUDIO, false, 1),
                valid("Nellymoser with an empty payload", "6e", MediaCodec.OTHER_AUDIO, false, 1),
                valid("enhanced Opus SequenceStart (OpusHead)", "90 " + OPUS + " 4f707573486561640102380180bb0000",
                        MediaCodec.OPUS, true, 5),
                valid("enhanced Opus CodedFrames", "91 " + OPUS + " fc ff fe", MediaCodec.OPUS, false, 5),
                valid("enhanced Opus SequenceEnd", "92 " + OPUS, MediaCodec.OPUS, false, 5),
                valid("enhanced Opus MultichannelConfig", "94 " + OPUS + " 01 06 0000003f", MediaCodec.OPUS, false, 5),
                valid("enhanced mp4a SequenceStart", "90 " + MP4A + " 1190", MediaCodec.AAC, true, 5),
                valid("enhanced mp4a CodedFrames", "91 " + MP4A + " 2110", MediaCodec.AAC, false, 5),
                valid("enhanced FLAC passes through", "90 " + FLAC + " 00000022", MediaCodec.OTHER_AUDIO, true, 5),
                valid("enhanced MP3 passes through", "91 " + MP3 + " fffb", MediaCodec.OTHER_AUDIO, false, 5),
                valid("enhanced unknown FourCC passes through", "91 71717171 00", MediaCodec.OTHER_AUDIO, false, 5),
                valid("enhanced ModEx before CodedFrames", "97 02 0f423f 01 " + OPUS + " fc",
                        MediaCodec.OPUS, false, 10));
    }

    private static Arguments valid(String name, String hex, MediaCodec codec, boolean config, int payloadOffset) {
        return Arguments.of(Named.of(name, hex(hex)), new Expected(codec, config, payloadOffset));
    }

    @ParameterizedTest
    @MethodSource("validTags")
    void parsesAudioTag(byte[] body, Expected expected) throws FlvFormatException {
        MediaFrame frame = FlvMediaParser.parseAudio(body, 1000, 77);

        assertEquals(MediaKind.AUDIO, frame.kind());
        assertEquals(expected, new Expected(frame.codec(), frame.config(), frame.payloadOffset()));
        assertFalse(frame.keyframe());
        assertEquals(0, frame.cts());
        assertEquals(1000, frame.dts());
        assertEquals(77, frame.ingestNanos());
        assertSame(body, frame.body(), "the body is kept, not copied");
    }

    @ParameterizedTest
    @MethodSource("validTags")
    void truncationInsideTheHeaderIsRefused(byte[] body, Expected expected) throws FlvFormatException {
        for (int length = 0; length < body.length; length++) {
            byte[] prefix = Arrays.copyOf(body, length);
            if (length < expected.payloadOffset()) {
                assertThrows(FlvFormatException.class, () -> FlvMediaParser.parseAudio(prefix, 0, 0),
                        "prefix of " + length + " bytes");
            } else {
                assertEquals(expected.payloadOffset(), FlvMediaParser.parseAudio(prefix, 0, 0).payloadOffset());
            }
        }
    }

    static Stream<Arguments> invalidTags() {
        return Stream.of(
                invalid("empty body", "", "truncated audio tag"),
                invalid("AAC without AACPacketType", "af", "AACPacketType"),
                invalid("AAC with unknown AACPacketType", "af 02 00", "unknown AACPacketType 2"),
                invalid("reserved sound format 12", "c2 00", "reserved sound format 12"),
                invalid("reserved sound format 13", "d2 00", "reserved sound format 13"),
                invalid("enhanced reserved packet type", "93 " + OPUS, "reserved Enhanced RTMP audio packet type 3"),
                invalid("enhanced multitrack", "95 00 " + OPUS, "multitrack"),
                invalid("enhanced truncated FourCC", "90 4f70", "audio FourCC"),
                invalid("enhanced ModEx overruns the body", "97 10 00", "ModEx data"));
    }

    private static Arguments invalid(String name, String hex, String reason) {
        return Arguments.of(Named.of(name, hex(hex)), reason);
    }

    @ParameterizedTest
    @MethodSource("invalidTags")
    void refusesBadAudioTag(byte[] body, String reason) {
        FlvFormatException e = assertThrows(FlvFormatException.class, () -> FlvMediaParser.parseAudio(body, 0, 0));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void randomBodiesOnlyEverRaiseTheCheckedException() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[random.nextInt(16)];
            random.nextBytes(body);
            try {
                assertTrue(FlvMediaParser.parseAudio(body, 0, 0).payloadOffset() <= body.length);
            } catch (FlvFormatException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }

    @Test
    void scriptDataIsAWholeBodyDataFrame() {
        byte[] body = hex("02000a6f6e4d65746144617461 08 00000000 000009");
        MediaFrame frame = FlvMediaParser.scriptData(body, 5, 6);

        assertEquals(MediaKind.DATA, frame.kind());
        assertEquals(MediaCodec.SCRIPT, frame.codec());
        assertEquals(0, frame.payloadOffset());
        assertEquals(5, frame.dts());
        assertSame(body, frame.body());
    }
}
