package io.liveshard.protocol.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.liveshard.protocol.flv.FlvMediaParser;
import io.liveshard.protocol.flv.FlvStreamReader;
import io.liveshard.protocol.flv.FlvTag;
import io.liveshard.protocol.flv.FlvTagType;
import io.liveshard.protocol.media.MediaFrame;
import io.liveshard.protocol.mpegts.MpegTsTestStream.Pes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Muxes real encoder output and has the real ffprobe and ffmpeg read the result: the proof that the transport stream
 * is what players expect, beyond what the unit tests can say about single fields.
 */
class MpegTsFfprobeTest {

    private static final Path FFPROBE = Path.of("/usr/bin/ffprobe");
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    /** What a tool printed and how it ended. */
    private record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void theFlvFixtureMuxesIntoAStreamFfprobeAndFfmpegReadCleanly() throws Exception {
        List<MediaFrame> frames = framesOf(MpegTsTestFrames.resource("/flv/testsrc2-320x240-15fps-aac.flv"));
        long videoFrames = frames.stream().filter(f -> f.isVideo() && !f.config() && f.payloadLength() > 0).count();
        long audioFrames = frames.stream().filter(f -> f.isAudio() && !f.config()).count();
        assertEquals(15, videoFrames, "one second at 15 fps (the end-of-sequence tag has no payload)");

        MpegTsMuxer muxer = new MpegTsMuxer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MediaFrame frame : frames) {
            if (frame.config()) {
                muxer.accept(frame, out); // the configs come first in the FLV; tables list what they announce
            }
        }
        muxer.writeTables(out);
        for (MediaFrame frame : frames) {
            muxer.accept(frame, out);
        }
        Path ts = write("fixture.ts", out.toByteArray());

        Map<String, String> video = stream(probe(ts), "video");
        assertEquals("h264", video.get("codec_name"));
        assertEquals("320", video.get("width"));
        assertEquals("240", video.get("height"));
        assertEquals(Long.toString(videoFrames), video.get("nb_read_frames"));
        assertEquals("0x100", video.get("id"));
        Map<String, String> audio = stream(probe(ts), "audio");
        assertEquals("aac", audio.get("codec_name"));
        assertEquals("44100", audio.get("sample_rate"));
        assertEquals("1", audio.get("channels"));
        assertEquals(Long.toString(audioFrames), audio.get("nb_read_frames"));
        assertDecodesWithoutErrors(ts);
    }

    @Test
    void aBFrameSourceMuxesWithPtsAfterDtsAndEverySegmentDecodesOnItsOwn() throws Exception {
        Path flv = dir.resolve("bframes.flv");
        Run encode = run(List.of(FFMPEG.toString(), "-v", "error", "-f", "lavfi", "-i",
                "testsrc2=size=160x120:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t",
                "2", "-c:v", "libx264", "-bf", "3", "-profile:v", "high", "-g", "15", "-c:a", "aac", "-ac", "1",
                "-f", "flv", flv.toString()));
        assertEquals(0, encode.exitCode(), "ffmpeg could not make the B-frame source: " + encode.stderr());
        List<MediaFrame> frames = framesOf(Files.readAllBytes(flv));
        List<MediaFrame> videoFrames = frames.stream()
                .filter(f -> f.isVideo() && !f.config() && f.payloadLength() > 0).toList();
        assertTrue(videoFrames.stream().anyMatch(f -> f.cts() > 0), "x264 with -bf 3 reorders frames");

        // Cut a segment at every keyframe, tables first, as the HLS segmenter does.
        MpegTsMuxer muxer = new MpegTsMuxer();
        List<ByteArrayOutputStream> segments = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (MediaFrame frame : frames) {
            if (frame.isVideo() && frame.keyframe() && !frame.config()) {
                segments.add(new ByteArrayOutputStream());
                muxer.writeTables(segments.get(segments.size() - 1));
            }
            if (segments.isEmpty()) {
                muxer.accept(frame, new ByteArrayOutputStream()); // configs, and nothing else, come before
            } else {
                muxer.accept(frame, segments.get(segments.size() - 1));
            }
        }
        assertEquals(2, segments.size(), "two seconds with a keyframe every 15 frames");
        for (ByteArrayOutputStream segment : segments) {
            all.writeBytes(segment.toByteArray());
        }

        List<Pes> videoPes = MpegTsTestStream.pes(all.toByteArray()).stream()
                .filter(p -> p.pid() == MpegTsPids.VIDEO).toList();
        assertEquals(videoFrames.size(), videoPes.size());
        long reordered = videoPes.stream().filter(p -> p.dts() >= 0 && p.pts() != p.dts()).count();
        assertTrue(reordered > 0, "some PES have PTS != DTS");
        assertTrue(videoPes.stream().allMatch(p -> p.dts() < 0 || p.pts() > p.dts()), "PTS is never before DTS");

        Path whole = write("bframes.ts", all.toByteArray());
        Map<String, String> video = stream(probe(whole), "video");
        assertEquals("h264", video.get("codec_name"));
        assertEquals("160", video.get("width"));
        assertEquals("120", video.get("height"));
        assertEquals("High", video.get("profile"));
        assertEquals(Integer.toString(videoFrames.size()), video.get("nb_read_frames"));
        assertEquals("aac", stream(probe(whole), "audio").get("codec_name"));
        assertEquals("48000", stream(probe(whole), "audio").get("sample_rate"));
        assertDecodesWithoutErrors(whole);
        assertPacketTimestamps(whole, videoFrames);

        int decoded = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path segment = write("segment" + i + ".ts", segments.get(i).toByteArray());
            Map<String, String> segmentVideo = stream(probe(segment), "video");
            assertEquals("160", segmentVideo.get("width"), "segment " + i + " carries its own SPS");
            decoded += Integer.parseInt(segmentVideo.get("nb_read_frames"));
            assertDecodesWithoutErrors(segment);
        }
        assertEquals(videoFrames.size(), decoded, "the segments decode on their own, together every frame");

        // The decode check has teeth: without its keyframe (and the SPS/PPS in front of it) a segment fails.
        Path broken = write("broken.ts", withoutFirstVideoPes(segments.get(1).toByteArray()));
        Run decode = run(List.of(tool(FFMPEG), "-v", "error", "-i", broken.toString(), "-f", "null", "-"));
        assertTrue(!decode.stderr().isEmpty(), "ffmpeg reports decoding P-frames without their keyframe");
    }

    /** The stream with the packets of the first video PES left out, continuity counters patched to stay valid. */
    private static byte[] withoutFirstVideoPes(byte[] ts) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int videoStarts = 0;
        int continuity = 0;
        for (int start = 0; start < ts.length; start += MpegTsTestStream.PACKET) {
            int pid = ((ts[start + 1] & 0x1F) << 8) | (ts[start + 2] & 0xFF);
            if (pid == MpegTsPids.VIDEO) {
                videoStarts += (ts[start + 1] & 0x40) != 0 ? 1 : 0;
                if (videoStarts < 2 || (ts[start + 3] & 0x10) == 0) {
                    continue; // the first PES, and PCR-only packets
                }
                ts[start + 3] = (byte) ((ts[start + 3] & 0xF0) | continuity);
                continuity = (continuity + 1) % 16;
            }
            kept.write(ts, start, MpegTsTestStream.PACKET);
        }
        return kept.toByteArray();
    }

    /** ffprobe's packet timestamps are the FLV's, in 90 kHz, plus the one-second offset. */
    private void assertPacketTimestamps(Path ts, List<MediaFrame> videoFrames) throws Exception {
        Run packets = run(List.of(tool(FFPROBE), "-v", "error", "-select_streams", "v", "-show_entries",
                "packet=pts,dts", "-of", "csv=p=0", ts.toString()));
        assertEquals("", packets.stderr());
        // ffprobe ends each csv line with an empty side-data column.
        List<String> lines = packets.stdout().lines().filter(l -> !l.isBlank()).map(l -> l.replaceAll(",+$", ""))
                .toList();
        assertEquals(videoFrames.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            MediaFrame frame = videoFrames.get(i);
            assertEquals((frame.pts() * 90 + 90_000) + "," + (frame.dts() * 90 + 90_000), lines.get(i),
                    "packet " + i + " (pts,dts) of " + frame);
        }
    }

    private void assertDecodesWithoutErrors(Path ts) throws Exception {
        Run decode = run(List.of(tool(FFMPEG), "-v", "error", "-i", ts.toString(), "-f", "null", "-"));
        assertEquals(0, decode.exitCode(), decode.stderr());
        assertEquals("", decode.stderr(), "ffmpeg reports no timestamp or decode errors for " + ts.getFileName());
    }

    private Map<String, String> probe(Path ts) throws Exception {
        Run probe = run(List.of(tool(FFPROBE), "-v", "error", "-show_streams", "-count_frames", "-of", "flat",
                ts.toString()));
        assertEquals(0, probe.exitCode(), probe.stderr());
        assertEquals("", probe.stderr(), "ffprobe reports no errors for " + ts.getFileName());
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : probe.stdout().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1).replace("\"", ""));
            }
        }
        return values;
    }

    /** The fields of the one stream of {@code codecType} in flat ffprobe output ({@code streams.stream.N.field}). */
    private static Map<String, String> stream(Map<String, String> probe, String codecType) {
        String prefix = null;
        for (Map.Entry<String, String> entry : probe.entrySet()) {
            if (entry.getKey().endsWith(".codec_type") && entry.getValue().equals(codecType)) {
                assertEquals(null, prefix, "one " + codecType + " stream");
                prefix = entry.getKey().substring(0, entry.getKey().length() - "codec_type".length());
            }
        }
        assertNotNull(prefix, "ffprobe found no " + codecType + " stream in " + probe);
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : probe.entrySet()) {
            if (entry.getKey().startsWith(prefix)) {
                fields.put(entry.getKey().substring(prefix.length()), entry.getValue());
            }
        }
        return fields;
    }

    /** Every media frame of an FLV file, in file order, as the RTMP ingest would produce them. */
    private static List<MediaFrame> framesOf(byte[] flv) throws Exception {
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
        assertEquals(FlvStreamReader.Result.NEED_MORE_BYTES, result, reader.failureReason());
        assertTrue(reader.atTagBoundary(), "the FLV ends after a whole tag");
        return frames;
    }

    private Path write(String name, byte[] ts) throws IOException {
        MpegTsTestStream.assertContinuity(ts); // also checks 188-byte packets and sync bytes
        return Files.write(dir.resolve(name), ts);
    }

    /** The path of a tool from the ffmpeg package; a missing tool fails the test rather than skipping it. */
    private static String tool(Path path) {
        if (!Files.isExecutable(path)) {
            fail(path + " is missing: install it with `apt-get install -y ffmpeg`");
        }
        return path.toString();
    }

    private Run run(List<String> command) throws Exception {
        tool(Path.of(command.get(0)));
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command.get(0) + " did not finish within " + TOOL_TIMEOUT_SECONDS + " s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
