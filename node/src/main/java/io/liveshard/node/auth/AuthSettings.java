package io.liveshard.node.auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * Signed-URL settings, from {@code liveshard.auth}.
 *
 * @param publishEnabled publishers (RTMP) need a valid {@code auth_key}
 * @param playEnabled    viewers (RTMP, HTTP-FLV, HLS, LL-HLS, artc) need a valid {@code auth_key}
 * @param key            the primary signing key
 * @param secondaryKey   a second key that also validates (for rotation); empty when unused
 */
public record AuthSettings(boolean publishEnabled, boolean playEnabled, String key, String secondaryKey) {

    /** Reads the {@code liveshard.auth} section; refuses a switched-on check without a key. */
    public static AuthSettings fromConfig(Config auth) {
        AuthSettings settings = new AuthSettings(auth.getBoolean("publish.enabled"), auth.getBoolean("play.enabled"),
                auth.getString("key"), auth.getString("secondary-key"));
        if ((settings.publishEnabled || settings.playEnabled) && settings.key.isEmpty()) {
            throw new ConfigException.BadValue(auth.origin(), "key",
                    "liveshard.auth.key is empty, but publish or play authentication is switched on");
        }
        return settings;
    }
}
