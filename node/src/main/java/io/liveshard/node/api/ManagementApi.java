package io.liveshard.node.api;

import io.liveshard.node.http.HttpResponses;
import io.liveshard.node.stream.StreamClients;
import io.liveshard.protocol.media.StreamKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's hand on this node's clients (behind the API token like the rest of {@code /api/}): list a stream's
 * publisher and viewers, kick one, forbid a stream (its clients are kicked, new ones refused) for a time or until
 * resumed. Kicks and forbids act on this node; send them to each node of a cluster.
 */
public final class ManagementApi {

    private static final Logger log = LoggerFactory.getLogger(ManagementApi.class);
    /** Longest forbid with a duration: a year. Without one, a forbid lasts until resumed. */
    private static final long MAX_FORBID_SECONDS = 365L * 24 * 3600;

    public record ClientList(String app, String stream, Long forbiddenUntilMillis,
                             List<StreamClients.Client> clients) {}

    public record Kicked(StreamClients.Client kicked) {}

    public record Forbidden(String app, String stream, Long untilMillis, int kicked) {}

    private final StreamClients clients;

    public ManagementApi(StreamClients clients) {
        this.clients = clients;
    }

    /** {@code GET /api/v1/streams/{app}/{stream}/clients}. */
    public HttpResponse clients(StreamKey key) {
        return ApiJson.ok(new ClientList(key.app(), key.stream(), clients.forbiddenUntil(key).orElse(null),
                clients.of(key)));
    }

    /** {@code POST /api/v1/clients/{id}/kick}. */
    public HttpResponse kick(String id, String operator) {
        Optional<StreamClients.Client> kicked = clients.kick(id);
        if (kicked.isEmpty()) {
            return HttpResponses.text(StatusCodes.NOT_FOUND, "no client " + id + " on this node");
        }
        log.info("api: {} kicked {} {} of {} ({})", operator, kicked.get().role(), kicked.get().id(),
                kicked.get().stream(), kicked.get().description());
        return ApiJson.ok(new Kicked(kicked.get()));
    }

    /** {@code POST /api/v1/streams/{app}/{stream}/forbid[?seconds=N]}: without seconds, until resumed. */
    public HttpResponse forbid(StreamKey key, Optional<String> secondsText, String operator) {
        long until = Long.MAX_VALUE;
        if (secondsText.isPresent()) {
            long seconds;
            try {
                seconds = Long.parseLong(secondsText.get());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 1 || seconds > MAX_FORBID_SECONDS) {
                return HttpResponses.text(StatusCodes.BAD_REQUEST,
                        "seconds must be a whole number from 1 to " + MAX_FORBID_SECONDS);
            }
            until = System.currentTimeMillis() + seconds * 1000;
        }
        int kicked = clients.forbid(key, until);
        log.info("api: {} forbade {} {}, kicking {} clients", operator, key,
                until == Long.MAX_VALUE ? "until resumed" : "for " + secondsText.get() + " s", kicked);
        return ApiJson.ok(new Forbidden(key.app(), key.stream(), until == Long.MAX_VALUE ? null : until, kicked));
    }

    /** {@code POST /api/v1/streams/{app}/{stream}/resume}. */
    public HttpResponse resume(StreamKey key, String operator) {
        if (!clients.resume(key)) {
            return HttpResponses.text(StatusCodes.NOT_FOUND, "stream " + key + " is not forbidden");
        }
        log.info("api: {} resumed {}", operator, key);
        return ApiJson.ok(Map.of("app", key.app(), "stream", key.stream(), "resumed", true));
    }

    /** {@code GET /api/v1/forbidden}: the streams forbidden now, with until when (null: until resumed). */
    public HttpResponse forbidden() {
        Map<String, Long> byStream = new TreeMap<>();
        clients.forbidden().forEach((key, until) -> byStream.put(key.id(), until == Long.MAX_VALUE ? null : until));
        return ApiJson.ok(byStream);
    }
}
