package io.liveshard.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a node's configuration in layers, highest first: explicit overrides (tests, command line), the operator's
 * file ({@code -Dconfig.file}, or {@code application.conf} on the class path), LiveShard's defaults
 * ({@code liveshard.conf} from the top-level {@code config/} folder, packaged into the jar), then the libraries' own
 * {@code reference.conf}. The defaults are layered explicitly rather than shipped as a {@code reference.conf} because
 * they override Pekko's own defaults, and the merge order of several {@code reference.conf} files is not defined.
 */
public final class NodeConfig {

    /**
     * Not node settings: the build's own properties under the same prefix, which reach the test JVMs as system
     * properties (pom.xml's {@code liveshard.buildDir}, the folder a build compiles into).
     */
    private static final Set<String> BUILD_PROPERTIES = Set.of("liveshard.buildDir");

    private NodeConfig() {}

    public static Config load(Config overrides) {
        ConfigFactory.invalidateCaches();
        return overrides
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(defaults())
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    private static Config defaults() {
        return ConfigFactory.parseResources(NodeConfig.class.getClassLoader(), "liveshard.conf");
    }

    /** A setting under {@code liveshard} that the defaults do not have, where it was set, and the likeliest meant. */
    public record UnknownSetting(String path, String origin, String closest) {
        @Override
        public String toString() {
            return path + " (" + origin + ")" + (closest == null ? "" : "; did you mean " + closest + "?");
        }
    }

    /**
     * The settings under {@code liveshard} in {@code loaded} that LiveShard does not know: a misspelt key (or
     * {@code -D} option) would otherwise leave its setting at the default without a word. Every LiveShard setting has
     * a default in {@code liveshard.conf}, so a path the defaults lack is one nothing reads.
     */
    public static List<UnknownSetting> unknownSettings(Config loaded) {
        if (!loaded.hasPath("liveshard")) {
            return List.of();
        }
        Config known = defaults().resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
        List<String> knownPaths = known.getConfig("liveshard").entrySet().stream()
                .map(entry -> "liveshard." + entry.getKey()).toList();
        List<UnknownSetting> unknown = new ArrayList<>();
        for (Map.Entry<String, ?> entry : loaded.getConfig("liveshard").entrySet()) {
            String path = "liveshard." + entry.getKey();
            if (!known.hasPathOrNull(path) && !BUILD_PROPERTIES.contains(path)) {
                unknown.add(new UnknownSetting(path, loaded.getValue(path).origin().description(),
                        closest(path, knownPaths)));
            }
        }
        unknown.sort(Comparator.comparing(UnknownSetting::path));
        return unknown;
    }

    /** The known path fewest edits away, if within a few edits (a typo), else null. */
    private static String closest(String path, List<String> knownPaths) {
        String best = null;
        int bestDistance = Math.max(2, path.length() / 8) + 1;
        for (String candidate : knownPaths) {
            int distance = editDistance(path, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of one character each cost one. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
