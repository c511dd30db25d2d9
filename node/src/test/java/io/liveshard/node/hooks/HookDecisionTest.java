package io.liveshard.node.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HookDecisionTest {

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("200 empty", 200, "", true, ""),
                Arguments.of("204", 204, "", true, ""),
                Arguments.of("200 allow true", 200, "{\"allow\": true}", true, ""),
                Arguments.of("200 not JSON", 200, "ok", true, ""),
                Arguments.of("200 JSON array", 200, "[false]", true, ""),
                Arguments.of("200 allow as string", 200, "{\"allow\": \"false\"}", true, ""),
                Arguments.of("200 allow false with reason", 200, "{\"allow\": false, \"reason\": \"bad token\"}",
                        false, "bad token"),
                Arguments.of("200 allow false", 200, "{\"allow\": false}", false, "play denied by the webhook"),
                Arguments.of("403 with reason", 403, "{\"reason\": \"banned\"}", false, "banned"),
                Arguments.of("403 plain", 403, "nope", false, "play denied by the webhook (HTTP 403)"),
                Arguments.of("302", 302, "", false, "play denied by the webhook (HTTP 302)"),
                Arguments.of("long reason cut", 200, "{\"allow\": false, \"reason\": \"" + "x".repeat(500) + "\"}",
                        false, "x".repeat(HookDecision.MAX_REASON_CHARS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void readsTheHooksAnswer(String name, int status, String body, boolean allowed, String reason) {
        HookDecision decision = HookDecision.fromResponse(HookEvent.PLAY, status,
                body.getBytes(StandardCharsets.UTF_8));
        assertEquals(new HookDecision(allowed, reason), decision);
    }
}
