package io.liveshard.node.hooks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook settings, from {@code liveshard.hooks}.
 *
 * @param urls              per event, the URLs each such event is POSTed to; an event without URLs costs nothing
 * @param secret            the HMAC-SHA256 key requests are signed with ({@link HookSigner})
 * @param timeout           longest a hook request may take, connecting included
 * @param retries           further attempts for an unpublish or stop event that failed
 * @param retryBackoff      wait before the first retry, doubled before each next one
 * @param maxInFlight       hook requests under way at once; beyond that a decision follows its fail policy and a
 *                          notification attempt counts as failed
 * @param publishFailOpen   a publish whose hook fails (no answer in time, 5xx, no free slot) is allowed
 * @param playFailOpen      likewise for a play
 * @param hlsViewerWindow   an HLS or LL-HLS client whose play was allowed is not asked about again while its
 *                          playlist requests are at most this far apart ({@code liveshard.hls.viewer-window})
 * @param maxHlsViewers     HLS clients remembered for that; beyond it, further clients are asked every time
 */
public record HookSettings(Map<HookEvent, List<URI>> urls, String secret, Duration timeout, int retries,
                           Duration retryBackoff, int maxInFlight, boolean publishFailOpen, boolean playFailOpen,
                           Duration hlsViewerWindow, int maxHlsViewers) {

    public HookSettings {
        urls = Map.copyOf(urls);
    }

    /** No URLs at all: no hook is ever called. */
    public static HookSettings none() {
        return new HookSettings(Map.of(), "", Duration.ofSeconds(2), 0, Duration.ofSeconds(1), 1, false, false,
                Duration.ofSeconds(10), 1);
    }

    /** Reads {@code liveshard.hooks}; refuses URLs without a secret and URLs that are not http(s). */
    public static HookSettings fromConfig(Config hooks, Duration hlsViewerWindow) {
        Map<HookEvent, List<URI>> urls = new EnumMap<>(HookEvent.class);
        for (HookEvent event : HookEvent.values()) {
            String path = "urls." + event.wireName();
            List<URI> list = hooks.getStringList(path).stream().map(url -> uri(hooks, path, url)).toList();
            if (!list.isEmpty()) {
                urls.put(event, list);
            }
        }
        HookSettings settings = new HookSettings(urls, hooks.getString("secret"), hooks.getDuration("timeout"),
                hooks.getInt("retries"), hooks.getDuration("retry-backoff"), hooks.getInt("max-in-flight"),
                hooks.getBoolean("publish.fail-open"), hooks.getBoolean("play.fail-open"), hlsViewerWindow,
                hooks.getInt("max-hls-viewers"));
        if (!urls.isEmpty() && settings.secret.isEmpty()) {
            throw new ConfigException.BadValue(hooks.origin(), "secret",
                    "liveshard.hooks.secret is empty, but webhook URLs are configured");
        }
        if (settings.maxInFlight < 1 || settings.retries < 0 || settings.timeout.isZero()
                || settings.timeout.isNegative()) {
            throw new ConfigException.BadValue(hooks.origin(), "max-in-flight",
                    "liveshard.hooks needs max-in-flight >= 1, retries >= 0 and a positive timeout");
        }
        return settings;
    }

    public List<URI> urls(HookEvent event) {
        return urls.getOrDefault(event, List.of());
    }

    public boolean failOpen(HookEvent event) {
        return event == HookEvent.PUBLISH ? publishFailOpen : playFailOpen;
    }

    private static URI uri(Config hooks, String path, String url) {
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the path
        }
        throw new ConfigException.BadValue(hooks.origin(), path, "not an http(s) URL: " + url);
    }
}
