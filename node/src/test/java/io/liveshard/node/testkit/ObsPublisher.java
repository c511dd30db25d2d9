package io.liveshard.node.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real OBS Studio publishing to the node: started under a virtual X server ({@code xvfb-run}) with a home of its
 * own that holds a profile (Simple output mode, x264 at 1,000 kbit/s, AAC at 128 kbit/s, 640x360 at 30 fps), a
 * custom RTMP service pointing at the node and a scene with one colour source, and told to start streaming at once,
 * as an operator's "Start Streaming" does. OBS always streams an audio track; with no audio source it is silence.
 */
public final class ObsPublisher implements AutoCloseable {

    private static final String PROFILE = "LiveShard";
    /** OBS's own encoding of 29.0.2 (major << 24 | minor << 16 | patch): no "what's new" dialog on start. */
    private static final String LAST_VERSION = "486539266";

    private final Process process;
    private final Path home;
    private final Path log;

    private ObsPublisher(Process process, Path home, Path log) {
        this.process = process;
        this.home = home;
        this.log = log;
    }

    /** Streams to {@code server} (e.g. {@code rtmp://127.0.0.1:1935/live}) with stream key {@code streamKey}. */
    public static ObsPublisher start(String server, String streamKey) throws IOException {
        Path home = Files.createTempDirectory("liveshard-obs");
        Path config = home.resolve(".config/obs-studio");
        Path profile = config.resolve("basic/profiles").resolve(PROFILE);
        Files.createDirectories(profile);
        Files.createDirectories(config.resolve("basic/scenes"));
        Files.writeString(config.resolve("global.ini"), """
                [General]
                LastVersion=%s
                EnableAutoUpdates=false
                [Basic]
                Profile=%s
                ProfileDir=%s
                SceneCollection=%s
                SceneCollectionFile=%s
                ConfigOnNewProfile=false
                """.formatted(LAST_VERSION, PROFILE, PROFILE, PROFILE, PROFILE));
        Files.writeString(profile.resolve("basic.ini"), """
                [General]
                Name=%s
                [Output]
                Mode=Simple
                [SimpleOutput]
                VBitrate=1000
                ABitrate=128
                StreamEncoder=x264
                Preset=veryfast
                [Video]
                BaseCX=640
                BaseCY=360
                OutputCX=640
                OutputCY=360
                FPSType=0
                FPSCommon=30
                [Audio]
                SampleRate=48000
                ChannelSetup=Stereo
                """.formatted(PROFILE));
        Files.writeString(profile.resolve("service.json"), """
                {"type": "rtmp_custom", "settings": {"server": "%s", "key": "%s", "use_auth": false}}
                """.formatted(server, streamKey));
        Files.writeString(config.resolve("basic/scenes").resolve(PROFILE + ".json"), """
                {"name": "%s", "current_scene": "Scene", "current_program_scene": "Scene",
                 "scene_order": [{"name": "Scene"}],
                 "sources": [
                  {"id": "scene", "versioned_id": "scene", "name": "Scene",
                   "uuid": "6f1f4a52-3c1e-4d7a-9a64-0d5b8f3c2a01",
                   "settings": {"id_counter": 1, "items": [{"name": "Colour", "id": 1, "visible": true,
                     "source_uuid": "6f1f4a52-3c1e-4d7a-9a64-0d5b8f3c2a02"}]}},
                  {"id": "color_source_v3", "versioned_id": "color_source_v3", "name": "Colour",
                   "uuid": "6f1f4a52-3c1e-4d7a-9a64-0d5b8f3c2a02",
                   "settings": {"color": 4278255360, "width": 640, "height": 360}}]}
                """.formatted(PROFILE));
        Path log = home.resolve("obs.log");
        ProcessBuilder builder = new ProcessBuilder(Programs.xvfbRun(), "-a", Programs.obs(), "--startstreaming",
                "--multi", "--disable-missing-files-check", "--profile", PROFILE, "--collection", PROFILE)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("XDG_CONFIG_HOME");
        return new ObsPublisher(builder.start(), home, log);
    }

    /** What OBS printed (its log goes to stdout too), for failure messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * Stops OBS; xvfb-run then stops its X server and removes its files itself (a script killed by a signal would
     * leave them). What still runs after 10 s is killed. OBS's home goes too.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        all.stream().filter(handle -> handle.info().command().map(c -> c.endsWith("/obs")).orElse(false))
                .forEach(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            all.forEach(ProcessHandle::destroyForcibly);
        }
        BrowserProcesses.deleteTree(home);
    }
}
