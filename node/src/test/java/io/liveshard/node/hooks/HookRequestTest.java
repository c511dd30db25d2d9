package io.liveshard.node.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.protocol.media.StreamKey;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HookRequestTest {

    @Test
    void jsonCarriesEveryField() throws Exception {
        HookRequest request = new HookRequest(new StreamKey("live", "cam1"), "rtmp", "10.0.0.5:51234",
                "rtmp-7@10.0.0.5:51234", Map.of("token", "abc", "quote", "a\"b"));
        JsonNode json = new ObjectMapper().readTree(request.json(HookEvent.UNPUBLISH, "liveshard@10.0.0.1:25520",
                1_700_000_000_123L));
        assertEquals("unpublish", json.get("event").asText());
        assertEquals("live", json.get("app").asText());
        assertEquals("cam1", json.get("stream").asText());
        assertEquals("rtmp", json.get("protocol").asText());
        assertEquals("10.0.0.5:51234", json.get("client_address").asText());
        assertEquals("rtmp-7@10.0.0.5:51234", json.get("client_id").asText());
        assertEquals("liveshard@10.0.0.1:25520", json.get("node").asText());
        assertEquals("abc", json.get("query").get("token").asText());
        assertEquals("a\"b", json.get("query").get("quote").asText());
        assertEquals(1_700_000_000_123L, json.get("timestamp").asLong());
        assertEquals(9, json.size());
    }

    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of("empty", "", Map.of()),
                Arguments.of("one", "token=abc", Map.of("token", "abc")),
                Arguments.of("decoded", "t=a%20b%2Bc&u=x+y", Map.of("t", "a b+c", "u", "x y")),
                Arguments.of("first of repeats wins", "t=1&t=2", Map.of("t", "1")),
                Arguments.of("name without value", "flag&t=1", Map.of("flag", "", "t", "1")),
                Arguments.of("empty pairs skipped", "&&t=1&", Map.of("t", "1")),
                Arguments.of("malformed escape kept", "t=%zz", Map.of("t", "%zz")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void parsesQueries(String name, String query, Map<String, String> expected) {
        assertEquals(expected, HookRequest.queryParameters(query));
    }

    @Test
    void findsTheQueryOfAUrl() {
        assertEquals("auth_key=1", HookRequest.queryOfUrl("rtmp://host/live?auth_key=1"));
        assertEquals("", HookRequest.queryOfUrl("rtmp://host/live"));
    }
}
