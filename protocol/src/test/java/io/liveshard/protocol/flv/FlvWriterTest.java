package io.liveshard.protocol.flv;

import static io.liveshard.protocol.flv.FlvTestBytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liveshard.protocol.media.MediaCodec;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.media.MediaKind;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FlvWriterTest {

    @ParameterizedTest(name = "audio={0} video={1}")
    @CsvSource({
        "true, true, 464c5601 05 00000009 00000000",
        "true, false, 464c5601 04 00000009 00000000",
        "false, true, 464c5601 01 00000009 00000000",
        "false, false, 464c5601 00 00000009 00000000"})
    void fileHeaderAnnouncesTracksAndEndsWithPreviousTagSizeZero(boolean audio, boolean video, String expected) {
        byte[] header = FlvWriter.fileHeader(audio, video);

        assertEquals(FlvWriter.FILE_HEADER_SIZE, header.length);
        assertArrayEquals(hex(expected), header);
    }

    static Stream<Arguments> tagHeaders() {
        return Stream.of(
                Arguments.of(FlvTagType.VIDEO, 5268, 0L, "09 001494 000000 00 000000"),
                Arguments.of(FlvTagType.AUDIO, 7, 66L, "08 000007 000042 00 000000"),
                Arguments.of(FlvTagType.SCRIPT, 0xFFFFFF, 0x12345678L, "12 ffffff 345678 12 000000"),
                Arguments.of(FlvTagType.VIDEO, 1, 0xFFFFFFFFL, "09 000001 ffffff ff 000000"),
                Arguments.of(FlvTagType.VIDEO, 1, 0x1_0000_0010L, "09 000001 000010 00 000000"));
    }

    @ParameterizedTest(name = "{0} size={1} ts={2}")
    @MethodSource("tagHeaders")
    void writesTagHeaderWithTimestampModulo2To32(FlvTagType type, int dataSize, long timestamp, String expected) {
        byte[] dst = new byte[3 + FlvWriter.TAG_HEADER_SIZE];
        FlvWriter.writeTagHeader(dst, 3, type, dataSize, timestamp);

        assertArrayEquals(hex("000000" + expected.replace(" ", "")), dst);
    }

    @Test
    void refusesDataSizesTheFieldCannotHold() {
        byte[] dst = new byte[FlvWriter.TAG_HEADER_SIZE];
        assertThrows(IllegalArgumentException.class,
                () -> FlvWriter.writeTagHeader(dst, 0, FlvTagType.VIDEO, 0x1000000, 0));
        assertThrows(IllegalArgumentException.class,
                () -> FlvWriter.writeTagHeader(dst, 0, FlvTagType.VIDEO, -1, 0));
    }

    @Test
    void writesPreviousTagSizeBigEndian() {
        byte[] dst = new byte[6];
        FlvWriter.writePreviousTagSize(dst, 1, 11 + 5268);

        assertArrayEquals(hex("00 0000149f 00"), dst);
    }

    @Test
    void tagTypeFollowsTheFrameKind() {
        byte[] body = {0};
        assertEquals(FlvTagType.VIDEO, FlvWriter.tagTypeOf(
                new MediaFrame(MediaKind.VIDEO, MediaCodec.H264, false, true, 0, 0, body, 0, 0)));
        assertEquals(FlvTagType.AUDIO, FlvWriter.tagTypeOf(
                new MediaFrame(MediaKind.AUDIO, MediaCodec.AAC, false, false, 0, 0, body, 0, 0)));
        assertEquals(FlvTagType.SCRIPT, FlvWriter.tagTypeOf(FlvMediaParser.scriptData(body, 0, 0)));
    }
}
