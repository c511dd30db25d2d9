package io.liveshard.node.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.protocol.media.StreamKey;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One client's publish or play as webhooks report it; the same request, with another event, reports its end.
 *
 * @param stream        the stream published or played
 * @param protocol      {@code rtmp}, {@code http-flv}, {@code hls}, {@code ll-hls} or {@code artc}
 * @param clientAddress the client's address as this node sees it ({@code ip:port} for RTMP, {@code ip} for HTTP)
 * @param clientId      this node's name for the connection or viewer, the same in a play and its stop
 * @param query         the URL's query parameters (e.g. a token for the hook to check); for RTMP the tcUrl's and
 *                      the stream name's, the stream name's winning
 */
public record HookRequest(StreamKey stream, String protocol, String clientAddress, String clientId,
                          Map<String, String> query) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public HookRequest {
        query = Map.copyOf(query);
    }

    /**
     * The JSON body for {@code event} sent by {@code node} at {@code timestampMillis}: {@code event}, {@code app},
     * {@code stream}, {@code protocol}, {@code client_address}, {@code client_id}, {@code node}, {@code query},
     * {@code timestamp} (Unix milliseconds).
     */
    public byte[] json(HookEvent event, String node, long timestampMillis) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event.wireName());
        body.put("app", stream.app());
        body.put("stream", stream.stream());
        body.put("protocol", protocol);
        body.put("client_address", clientAddress);
        body.put("client_id", clientId);
        body.put("node", node);
        body.put("query", new TreeMap<>(query));
        body.put("timestamp", timestampMillis);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and numbers always serialize: " + e.getMessage(), e);
        }
    }

    /**
     * The parameters of a URL query ({@code a=1&b=two}), decoded; the first of repeated names wins, names without a
     * value map to "". Empty for an empty query.
     */
    public static Map<String, String> queryParameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    /** The query of {@code url} (after its first {@code ?}), or "" when it has none. */
    public static String queryOfUrl(String url) {
        int question = url.indexOf('?');
        return question < 0 ? "" : url.substring(question + 1);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a malformed %-escape: pass it on as sent, the hook judges it
        }
    }
}
