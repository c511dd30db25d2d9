package io.liveshard.node.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * A publish or play hook's answer: allowed, or denied with the one-line reason the client is told.
 *
 * @param reason why it was denied; empty when allowed
 */
public record HookDecision(boolean allowed, String reason) {

    public static final HookDecision ALLOW = new HookDecision(true, "");
    /** Longest reason passed on to a client; a hook's longer text is cut. */
    static final int MAX_REASON_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static HookDecision deny(String reason) {
        return new HookDecision(false, reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS)
                : reason);
    }

    /**
     * Reads a hook's HTTP answer (5xx answers are failures, see {@link Webhooks}): a 2xx allows unless its body is a
     * JSON object with {@code "allow": false}; any other status denies. A JSON {@code reason} is the reason given,
     * else the status.
     */
    static HookDecision fromResponse(HookEvent event, int status, byte[] body) {
        Optional<JsonNode> json = jsonObject(body);
        Optional<String> reason = json.map(node -> node.get("reason")).filter(JsonNode::isTextual)
                .map(JsonNode::asText).filter(text -> !text.isBlank());
        if (status >= 200 && status < 300) {
            boolean denied = json.map(node -> node.get("allow")).filter(JsonNode::isBoolean)
                    .map(node -> !node.asBoolean()).orElse(false);
            return denied ? deny(reason.orElse(event.wireName() + " denied by the webhook")) : ALLOW;
        }
        return deny(reason.orElse(event.wireName() + " denied by the webhook (HTTP " + status + ")"));
    }

    private static Optional<JsonNode> jsonObject(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
