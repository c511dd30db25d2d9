package io.liveshard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

    @Test
    void misspeltSettingsAreFoundWithWhatWasMeant() {
        List<NodeConfig.UnknownSetting> unknown = NodeConfig.unknownSettings(NodeConfig.load(ConfigFactory.parseString(
                "liveshard { http.prot = 8092, stream.publisher-gracee = 12s, http.port = 8093, "
                        + "artc.candidates = [\"127.0.0.1\"], completely.different = 1 }")));
        assertEquals(List.of("liveshard.completely.different", "liveshard.http.prot",
                "liveshard.stream.publisher-gracee"), unknown.stream().map(NodeConfig.UnknownSetting::path).toList());
        assertEquals(null, unknown.get(0).closest(), "nothing close to it");
        assertEquals("liveshard.http.port", unknown.get(1).closest());
        assertEquals("liveshard.stream.publisher-grace", unknown.get(2).closest());
        assertEquals("liveshard.http.prot (String: 1); did you mean liveshard.http.port?", unknown.get(1).toString());
    }

    @Test
    void theDefaultsAndEverySampleConfigurationHaveNoneUnknown() {
        assertEquals(List.of(), NodeConfig.unknownSettings(NodeConfig.load(ConfigFactory.empty())));
        for (String sample : List.of("../config/cluster/node1.conf", "../docker/node1.conf")) {
            assertEquals(List.of(), NodeConfig.unknownSettings(NodeConfig.load(
                    ConfigFactory.parseFile(new java.io.File(sample)).resolve())), sample);
        }
    }

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertEquals(0, NodeConfig.editDistance("port", "port"));
        assertEquals(2, NodeConfig.editDistance("prot", "port"), "a swap is two substitutions");
        assertEquals(1, NodeConfig.editDistance("grace", "gracee"));
        assertEquals(3, NodeConfig.editDistance("", "abc"));
    }
}
