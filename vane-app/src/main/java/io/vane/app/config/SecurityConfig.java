package io.vane.app.config;

import io.vane.broker.security.HomeData;
import io.vane.broker.security.SecuritySettings;
import java.util.Map;

/**
 * allow_anonymous, password_file and acl_file: for every listener, or per listener port when
 * per_listener_settings is true (then {@code perListener} has an entry for each listener); and
 * anonymous_home_data, from where anonymous clients may read the meter's and boiler's topics.
 */
public record SecurityConfig(SecuritySettings global, Map<Integer, SecuritySettings> perListener,
        HomeData homeData) {

    public SecurityConfig {
        perListener = Map.copyOf(perListener);
        java.util.Objects.requireNonNull(homeData, "homeData");
    }

    /** With home data readable anonymously from local addresses only, the default (decision 0014). */
    public SecurityConfig(SecuritySettings global, Map<Integer, SecuritySettings> perListener) {
        this(global, perListener, HomeData.LOCAL);
    }

    public SecurityConfig withHomeData(HomeData newHomeData) {
        return new SecurityConfig(global, perListener, newHomeData);
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
