package io.vane.app.config;

import io.vane.broker.security.SecuritySettings;
import java.util.Map;

/**
 * allow_anonymous, password_file and acl_file: for every listener, or per listener port when
 * per_listener_settings is true (then {@code perListener} has an entry for each listener).
 */
public record SecurityConfig(SecuritySettings global, Map<Integer, SecuritySettings> perListener) {

    public SecurityConfig {
        perListener = Map.copyOf(perListener);
    }

    /** Vane's secure default: anonymous clients read the sensor topics and publish nowhere. */
    public static SecurityConfig secureDefault() {
        return new SecurityConfig(SecuritySettings.DEFAULTS, Map.of());
    }

    /** Mosquitto's allow_anonymous alone, for every listener. */
    public static SecurityConfig anonymous(Boolean allowAnonymous) {
        return new SecurityConfig(new SecuritySettings(allowAnonymous, null, null), Map.of());
    }
}
