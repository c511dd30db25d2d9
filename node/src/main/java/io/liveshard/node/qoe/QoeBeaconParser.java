package io.liveshard.node.qoe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liveshard.protocol.media.StreamKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the JSON body of {@code POST /api/v1/qoe} into a {@link QoeBeacon}, or refuses it with a reason. The report
 * comes from any browser on the internet, so everything is checked: types, names from fixed sets, array lengths,
 * and numbers (NaN and infinities are not JSON and fail parsing; negative values are refused; values beyond the
 * limits below are clamped to them, because a genuinely slow start or a long stall is real information). Unknown
 * fields are ignored so that a newer player can talk to an older node. The format is in docs/CONSOLE.md.
 */
public final class QoeBeaconParser {

    /** Longest time any duration in a report may claim; longer values are clamped to it. */
    public static final double MAX_SECONDS = 600;
    /** Latency samples one report may carry (the player samples a few per second and reports every few seconds). */
    public static final int MAX_LATENCY_SAMPLES = 200;
    /** Fallbacks one report may carry: the player has three protocols, so a few are already a lot. */
    public static final int MAX_FALLBACKS = 8;
    /** Stalls one report may count; more are clamped to it. */
    public static final int MAX_STALLS = 1000;
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final double MILLIS_PER_SECOND = 1000;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxStringLength(1024)
                    .maxNumberLength(32)
                    .build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private QoeBeaconParser() {}

    public static QoeBeacon parse(byte[] body) throws QoeBeaconException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new QoeBeaconException("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new QoeBeaconException("the report must be a JSON object");
        }
        String app = requiredText(root, "app");
        String stream = requiredText(root, "stream");
        Optional<String> nameProblem = StreamKey.problem(app, stream);
        if (nameProblem.isPresent()) {
            throw new QoeBeaconException("bad stream name: " + nameProblem.get());
        }
        String session = requiredText(root, "session");
        if (!SESSION.matcher(session).matches()) {
            throw new QoeBeaconException("session must be 1 to 64 characters of [A-Za-z0-9_-]");
        }
        QoeProtocol protocol = protocol(root, "protocol");
        Optional<QoeBeacon.Startup> startup = optionalObject(root, "startup").isPresent()
                ? Optional.of(startup(root.get("startup"))) : Optional.empty();
        int stalls = 0;
        double stallSeconds = 0;
        Optional<JsonNode> stallNode = optionalObject(root, "stalls");
        if (stallNode.isPresent()) {
            stalls = (int) Math.min(MAX_STALLS, count(stallNode.get(), "count"));
            stallSeconds = millis(stallNode.get(), "durationMs").orElse(0.0);
        }
        double watchedSeconds = millis(root, "watchedMs").orElse(0.0);
        return new QoeBeacon(new StreamKey(app, stream), session, protocol, startup, stalls, stallSeconds,
                watchedSeconds, latencies(root), fallbacks(root));
    }

    private static QoeBeacon.Startup startup(JsonNode node) throws QoeBeaconException {
        Optional<Double> firstFrame = millis(node, "firstFrameMs");
        if (firstFrame.isEmpty()) {
            throw new QoeBeaconException("startup.firstFrameMs is required when startup is sent");
        }
        return new QoeBeacon.Startup(millis(node, "signallingMs"), millis(node, "connectMs"),
                millis(node, "firstPacketMs"), firstFrame.get());
    }

    private static List<Double> latencies(JsonNode root) throws QoeBeaconException {
        JsonNode samples = root.get("e2eLatencyMs");
        if (samples == null || samples.isNull()) {
            return List.of();
        }
        if (!samples.isArray()) {
            throw new QoeBeaconException("e2eLatencyMs must be an array of numbers");
        }
        if (samples.size() > MAX_LATENCY_SAMPLES) {
            throw new QoeBeaconException("e2eLatencyMs has more than " + MAX_LATENCY_SAMPLES + " samples");
        }
        List<Double> seconds = new ArrayList<>(samples.size());
        for (JsonNode sample : samples) {
            seconds.add(seconds(sample, "e2eLatencyMs[]"));
        }
        return seconds;
    }

    private static List<QoeBeacon.Fallback> fallbacks(JsonNode root) throws QoeBeaconException {
        JsonNode list = root.get("fallbacks");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new QoeBeaconException("fallbacks must be an array");
        }
        if (list.size() > MAX_FALLBACKS) {
            throw new QoeBeaconException("fallbacks has more than " + MAX_FALLBACKS + " entries");
        }
        List<QoeBeacon.Fallback> fallbacks = new ArrayList<>(list.size());
        for (JsonNode entry : list) {
            if (!entry.isObject()) {
                throw new QoeBeaconException("fallbacks[] must be objects");
            }
            String reason = requiredText(entry, "reason");
            fallbacks.add(new QoeBeacon.Fallback(protocol(entry, "from"), protocol(entry, "to"),
                    FallbackReason.fromCode(reason).orElseThrow(
                            () -> new QoeBeaconException("fallbacks[].reason is not a known reason"))));
        }
        return fallbacks;
    }

    private static QoeProtocol protocol(JsonNode node, String field) throws QoeBeaconException {
        return QoeProtocol.fromCode(requiredText(node, field))
                .orElseThrow(() -> new QoeBeaconException(field + " must be artc, http-flv, ll-hls or hls"));
    }

    private static String requiredText(JsonNode node, String field) throws QoeBeaconException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new QoeBeaconException(field + " must be a string");
        }
        return value.textValue();
    }

    private static Optional<JsonNode> optionalObject(JsonNode node, String field) throws QoeBeaconException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw new QoeBeaconException(field + " must be an object");
        }
        return Optional.of(value);
    }

    /** An optional duration in milliseconds, returned in seconds. */
    private static Optional<Double> millis(JsonNode node, String field) throws QoeBeaconException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(seconds(value, field));
    }

    private static double seconds(JsonNode value, String field) throws QoeBeaconException {
        if (!value.isNumber()) {
            throw new QoeBeaconException(field + " must be a number of milliseconds");
        }
        double millis = value.doubleValue();
        if (!Double.isFinite(millis) || millis < 0) {
            throw new QoeBeaconException(field + " must be a finite, non-negative number of milliseconds");
        }
        return Math.min(MAX_SECONDS, millis / MILLIS_PER_SECOND);
    }

    private static long count(JsonNode node, String field) throws QoeBeaconException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new QoeBeaconException(field + " must be a non-negative integer");
        }
        return value.longValue();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
