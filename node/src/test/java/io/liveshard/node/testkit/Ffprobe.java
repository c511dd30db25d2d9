package io.liveshard.node.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code ffprobe} against a URL and returns what it found, stream by stream, from its
 * {@code -of flat} output (one {@code streams.stream.N.key=value} line per field: no JSON library needed).
 */
public final class Ffprobe {

    /** One stream as ffprobe describes it: {@code codec_type}, {@code codec_name}, {@code width}, ... */
    public record ProbedStream(Map<String, String> fields) {
        public String get(String key) {
            return fields.get(key);
        }
    }

    public record Result(int exitCode, List<ProbedStream> streams, String output) {
        public ProbedStream stream(String codecType) {
            return streams.stream().filter(s -> codecType.equals(s.get("codec_type"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + codecType + " stream; ffprobe said:\n" + output));
        }

        /**
         * Fails unless ffprobe succeeded and found H.264 of {@code width} x {@code height}, at least
         * {@code minVideoFrames} of it read, and AAC; {@code context} (e.g. the publisher's log) goes with a failure.
         */
        public void assertH264AndAac(int width, int height, int minVideoFrames, String context) {
            String all = output + "\n" + context;
            assertEquals(0, exitCode, all);
            assertEquals("h264", stream("video").get("codec_name"), all);
            assertEquals(String.valueOf(width), stream("video").get("width"), all);
            assertEquals(String.valueOf(height), stream("video").get("height"), all);
            assertEquals("aac", stream("audio").get("codec_name"), all);
            int frames = Integer.parseInt(stream("video").get("nb_read_frames"));
            assertTrue(frames >= minVideoFrames, frames + " video frames read; " + all);
        }
    }

    private Ffprobe() {}

    /**
     * Probes {@code url}, counting frames over the first {@code seconds} of media. Debian's ffprobe 5.1 now and then
     * dies of SIGSEGV on live input (exit 139, no output): that one attempt is repeated once, and says so.
     */
    public static Result probe(String url, int seconds) throws IOException, InterruptedException {
        Result result = probeOnce(url, seconds);
        if (result.exitCode() > 128) {
            System.err.println("ffprobe " + url + " died of signal " + (result.exitCode() - 128) + ", probing again");
            Result again = probeOnce(url, seconds);
            return new Result(again.exitCode(), again.streams(), "(the first ffprobe died of signal "
                    + (result.exitCode() - 128) + ")\n" + again.output());
        }
        return result;
    }

    private static Result probeOnce(String url, int seconds) throws IOException, InterruptedException {
        List<String> command = List.of(Programs.ffprobe(), "-hide_banner", "-v", "error",
                "-rw_timeout", "15000000",
                "-read_intervals", "%+" + seconds, "-count_frames",
                "-show_streams", "-of", "flat", url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes;
        try (var output = process.getInputStream()) {
            bytes = output.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ffprobe " + url + " did not finish");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return new Result(process.exitValue(), parse(text), text);
    }

    private static List<ProbedStream> parse(String text) {
        Map<Integer, Map<String, String>> byIndex = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("streams.stream.")) {
                continue;
            }
            String rest = line.substring("streams.stream.".length());
            int dot = rest.indexOf('.');
            int equals = rest.indexOf('=');
            if (dot < 0 || equals < dot) {
                continue;
            }
            int index = Integer.parseInt(rest.substring(0, dot));
            String key = rest.substring(dot + 1, equals);
            String value = rest.substring(equals + 1);
            if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                value = value.substring(1, value.length() - 1);
            }
            byIndex.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(key, value);
        }
        List<ProbedStream> streams = new ArrayList<>();
        byIndex.values().forEach(fields -> streams.add(new ProbedStream(fields)));
        return streams;
    }
}
