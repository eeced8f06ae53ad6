package io.vane.app.config;

import io.vane.broker.BrokerSettings;
import io.vane.transport.ListenerConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a running Vane needs, parsed, validated and frozen. Built by {@link ConfigParser} from a
 * mosquitto.conf-style file, by {@link #defaults()}, or by code that embeds Vane.
 *
 * @param source the file it came from, or null for built-in defaults
 * @param allowAnonymous allow_anonymous; null when the file does not say (the default then applies)
 */
public record VaneConfig(Path source, BrokerSettings broker, List<ListenerConfig> listeners,
        LogSettings logging, Boolean allowAnonymous) {

    public VaneConfig {
        listeners = List.copyOf(listeners);
    }

    /** Built-in defaults: MQTT on 1883 on every interface. */
    public static VaneConfig defaults() {
        return new VaneConfig(null, BrokerSettings.defaults(), List.of(ListenerConfig.mqtt(1883)),
                LogSettings.defaults(), null);
    }

    public VaneConfig withListeners(List<ListenerConfig> newListeners) {
        return new VaneConfig(source, broker, newListeners, logging, allowAnonymous);
    }

    public VaneConfig withBroker(BrokerSettings newBroker) {
        return new VaneConfig(source, newBroker, listeners, logging, allowAnonymous);
    }
}
