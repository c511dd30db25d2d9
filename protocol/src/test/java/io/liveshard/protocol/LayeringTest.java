package io.liveshard.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocol module is pure protocol code: it depends on the JDK only and never on the node, Pekko or a logging
 * library. This scan of its sources enforces that layering.
 */
class LayeringTest {

    private static final Pattern FORBIDDEN_IMPORT = Pattern.compile(
            "^import\\s+(static\\s+)?(io\\.liveshard\\.node|org\\.apache\\.pekko|scala|org\\.slf4j|ch\\.qos)\\b.*",
            Pattern.MULTILINE);

    @Test
    void protocolSourcesImportNeitherTheNodeNorPekko() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the protocol module: " + sources.toAbsolutePath());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(LayeringTest::forbiddenImports)
                    .toList();
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void theScanRecognisesForbiddenImports() {
        assertTrue(FORBIDDEN_IMPORT.matcher("import org.apache.pekko.util.ByteString;").find());
        assertTrue(FORBIDDEN_IMPORT.matcher("import io.liveshard.node.stream.StreamFanout;").find());
        assertTrue(FORBIDDEN_IMPORT.matcher("import static io.liveshard.node.X.y;").find());
        assertTrue(!FORBIDDEN_IMPORT.matcher("import io.liveshard.protocol.media.MediaFrame;").find());
    }

    private static Stream<String> forbiddenImports(Path file) {
        try {
            return FORBIDDEN_IMPORT.matcher(Files.readString(file)).results()
                    .map(match -> file + ": " + match.group().trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
