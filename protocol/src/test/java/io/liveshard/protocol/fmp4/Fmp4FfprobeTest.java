package io.liveshard.protocol.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.liveshard.protocol.media.MediaFrame;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real check: init segment + fragments written from FLV input must be read by ffprobe and decoded by ffmpeg
 * without a single complaint, with every frame and the original timestamps.
 */
class Fmp4FfprobeTest {

    private static final long PROCESS_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    /** The output of one finished program run. */
    private record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void theCommittedFlvMuxesIntoAnMp4ThatFfmpegDecodesCleanly() throws Exception {
        List<MediaFrame> frames = Fmp4TestMedia.readFlv(Fmp4TestMedia.resource(Fmp4TestMedia.FLV_FIXTURE));
        Fmp4TestMuxer.Muxed muxed = Fmp4TestMuxer.mux(frames);
        assertEquals(15, muxed.videoFrames(), "the fixture's video frames (README: 1 s at 15 fps)");
        assertTrue(muxed.fragments().size() >= 2, "a fragment at least every 0.5 s: " + muxed.fragments().size());
        Path mp4 = write("testsrc2.mp4", muxed.file());

        Map<String, String> video = stream(probe(mp4), "video");
        assertEquals("h264", video.get("codec_name"));
        assertEquals("320", video.get("width"));
        assertEquals("240", video.get("height"));
        assertEquals(String.valueOf(muxed.videoFrames()), video.get("nb_read_frames"));
        Map<String, String> audio = stream(probe(mp4), "audio");
        assertEquals("aac", audio.get("codec_name"));
        assertEquals("44100", audio.get("sample_rate"));
        assertEquals("1", audio.get("channels"));
        assertEquals(String.valueOf(muxed.audioFrames()), audio.get("nb_read_frames"));

        assertDecodesWithoutErrors(mp4);
        assertVideoTimestamps(mp4, muxed);
    }

    @Test
    void aBFrameStreamKeepsItsCompositionOffsetsAndDecodesCleanly() throws Exception {
        Path flv = dir.resolve("bframes.flv");
        Run encode = run(List.of(tool("ffmpeg"), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15",
                "-t", "2", "-c:v", "libx264", "-bf", "3", "-profile:v", "high", "-g", "15", "-f", "flv",
                flv.toString()));
        assertEquals(0, encode.exitCode(), "ffmpeg could not encode the B-frame source: " + encode.stderr());
        List<MediaFrame> frames = Fmp4TestMedia.readFlv(Files.readAllBytes(flv));
        Fmp4TestMuxer.Muxed muxed = Fmp4TestMuxer.mux(frames);
        assertEquals(30, muxed.videoFrames());
        assertTrue(frames.stream().anyMatch(frame -> frame.cts() > 0), "x264 with -bf 3 reorders frames");

        int compositionOffsets = 0;
        for (byte[] fragment : muxed.fragments()) {
            Mp4Box trun = Fmp4TestMedia.path(Mp4BoxReader.read(fragment).get(0), "traf", "trun");
            if ((trun.flags() & Fmp4Fragment.TRUN_SAMPLE_COMPOSITION_OFFSET) != 0) {
                assertEquals(Fmp4Fragment.TRUN_VERSION_SIGNED_OFFSETS, trun.version());
                compositionOffsets++;
            }
        }
        assertEquals(muxed.fragments().size(), compositionOffsets, "every fragment carries composition offsets");

        Path mp4 = write("bframes.mp4", muxed.file());
        Map<String, String> video = stream(probe(mp4), "video");
        assertEquals("h264", video.get("codec_name"));
        assertEquals("High", video.get("profile"));
        assertEquals("160", video.get("width"));
        assertEquals("120", video.get("height"));
        assertEquals("30", video.get("nb_read_frames"));
        assertTrue(Integer.parseInt(video.get("has_b_frames")) > 0, "ffprobe sees reordering: " + video);
        assertDecodesWithoutErrors(mp4);
        assertVideoTimestamps(mp4, muxed);
    }

    /** Every video packet has the decode and presentation time the FLV gave it, in the 90 kHz timescale. */
    private void assertVideoTimestamps(Path mp4, Fmp4TestMuxer.Muxed muxed) throws Exception {
        Run packets = run(List.of(tool("ffprobe"), "-v", "error", "-select_streams", "v:0", "-show_entries",
                "packet=pts,dts", "-of", "csv=p=0", mp4.toString()));
        assertEquals(0, packets.exitCode(), packets.stderr());
        List<Long> pts = new ArrayList<>();
        List<Long> dts = new ArrayList<>();
        for (String line : packets.stdout().strip().split("\n")) {
            String[] fields = line.split(",");
            pts.add(Long.parseLong(fields[0]));
            dts.add(Long.parseLong(fields[1]));
        }
        assertEquals(muxed.videoDts(), dts);
        assertEquals(muxed.videoPts(), pts);
    }

    private void assertDecodesWithoutErrors(Path mp4) throws Exception {
        Run decode = run(List.of(tool("ffmpeg"), "-v", "error", "-i", mp4.toString(), "-f", "null", "-"));
        assertEquals(0, decode.exitCode(), decode.stderr());
        assertEquals("", decode.stderr(), "ffmpeg decoding the muxed file complains");
    }

    private Map<String, String> probe(Path mp4) throws Exception {
        Run probe = run(List.of(tool("ffprobe"), "-v", "error", "-show_streams", "-count_frames", "-of", "flat",
                mp4.toString()));
        assertEquals(0, probe.exitCode(), probe.stderr());
        assertEquals("", probe.stderr(), "ffprobe complains about the muxed file");
        Map<String, String> values = new HashMap<>();
        for (String line : probe.stdout().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1).replace("\"", ""));
            }
        }
        return values;
    }

    /** The fields of the one stream of a codec type, from {@code streams.stream.N.field=value} lines. */
    private static Map<String, String> stream(Map<String, String> probe, String codecType) {
        Map<String, String> fields = null;
        for (int index = 0; probe.containsKey("streams.stream." + index + ".codec_type"); index++) {
            if (probe.get("streams.stream." + index + ".codec_type").equals(codecType)) {
                assertEquals(null, fields, "one " + codecType + " stream");
                String prefix = "streams.stream." + index + ".";
                fields = new HashMap<>();
                for (Map.Entry<String, String> entry : probe.entrySet()) {
                    if (entry.getKey().startsWith(prefix)) {
                        fields.put(entry.getKey().substring(prefix.length()), entry.getValue());
                    }
                }
            }
        }
        if (fields == null) {
            fail("ffprobe found no " + codecType + " stream: " + probe);
        }
        return fields;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    /** The program from the PATH or /usr/bin; a missing one fails the test, naming the package to install. */
    private static String tool(String name) {
        List<String> directories = new ArrayList<>(Arrays.asList(
                System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.add("/usr/bin");
        for (String directory : directories) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail(name + " is not installed: apt-get install -y ffmpeg");
    }

    private Run run(List<String> command) throws Exception {
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + PROCESS_TIMEOUT_SECONDS + " s");
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
