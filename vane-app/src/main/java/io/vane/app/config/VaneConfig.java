package io.vane.app.config;

import io.vane.broker.BrokerSettings;
import io.vane.transport.ListenerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a running Vane needs, parsed, validated and frozen. Built by {@link ConfigParser} from a
 * mosquitto.conf-style file, by {@link #defaults()}, or by code that embeds Vane.
 *
 * @param source the file it came from, or null for built-in defaults
 * @param allowAnonymous allow_anonymous; null when the file does not say (the default then applies)
 * @param app the settings of the parts around the broker: dashboard, device sources, persistence files
 * @param security allow_anonymous, password_file and acl_file, globally or per listener
 */
public record VaneConfig(Path source, BrokerSettings broker, List<ListenerConfig> listeners,
        LogSettings logging, Boolean allowAnonymous, AppSettings app, SecurityConfig security) {

    public VaneConfig {
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(security, "security");
    }

    /** The six-part form: security from allow_anonymous alone. */
    public VaneConfig(Path source, BrokerSettings broker, List<ListenerConfig> listeners, LogSettings logging,
            Boolean allowAnonymous, AppSettings app) {
        this(source, broker, listeners, logging, allowAnonymous, app, SecurityConfig.anonymous(allowAnonymous));
    }

    /** The original five-part form, for code that embeds Vane; the other parts take their defaults. */
    public VaneConfig(Path source, BrokerSettings broker, List<ListenerConfig> listeners, LogSettings logging,
            Boolean allowAnonymous) {
        this(source, broker, listeners, logging, allowAnonymous, AppSettings.defaults());
    }

    /**
     * Built-in defaults: MQTT on 1883 and WebSockets + HTTP on 9001, on every interface, so a
     * Belchertown page with {@code mqtt_websockets_port = 9001} works unchanged.
     */
    public static VaneConfig defaults() {
        return new VaneConfig(null, BrokerSettings.defaults(),
                List.of(ListenerConfig.mqtt(1883), ListenerConfig.websockets(9001)), LogSettings.defaults(), null);
    }

    public VaneConfig withListeners(List<ListenerConfig> newListeners) {
        return new VaneConfig(source, broker, newListeners, logging, allowAnonymous, app, security);
    }

    public VaneConfig withBroker(BrokerSettings newBroker) {
        return new VaneConfig(source, newBroker, listeners, logging, allowAnonymous, app, security);
    }

    public VaneConfig withLogging(LogSettings newLogging) {
        return new VaneConfig(source, broker, listeners, newLogging, allowAnonymous, app, security);
    }

    public VaneConfig withApp(AppSettings newApp) {
        return new VaneConfig(source, broker, listeners, logging, allowAnonymous, newApp, security);
    }

    public VaneConfig withSecurity(SecurityConfig newSecurity) {
        return new VaneConfig(source, broker, listeners, logging, newSecurity.global().allowAnonymous(), app,
                newSecurity);
    }
}
