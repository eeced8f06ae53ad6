package io.vane.devices.homeassistant;

import io.vane.broker.local.LocalClient;
import io.vane.devices.source.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant MQTT discovery for every device source (the P1 meter, the weather station, the
 * OpenTherm gateway): retained configs at {@code homeassistant/COMPONENT/NODE/OBJECT/config}, sent
 * again whenever Home Assistant says {@code online} on {@code homeassistant/status} (it does at each
 * start, and would otherwise only know what was retained). A retained empty config removes an entity.
 *
 * <p>Thread-safe: announcements may come from the source's thread and the client's.
 */
public final class HomeAssistantDiscovery {
    /** Where discovery lives unless Home Assistant is configured otherwise. */
    public static final String PREFIX = "homeassistant";
    public static final String STATUS_TOPIC = PREFIX + "/status";

    private final LocalClient client;
    private final String nodeId;
    private final DiscoveryDevice device;
    private final String availabilityTopic;
    private final List<DiscoveryEntity> announced = new ArrayList<>();
    private boolean listening;

    /**
     * @param nodeId groups this source's configs, e.g. {@code vane_p1_meter}; letters, digits, _ and -
     * @param availabilityTopic the source's {@code online}/{@code offline} topic, or null when it has none
     */
    public HomeAssistantDiscovery(LocalClient client, String nodeId, DiscoveryDevice device, String availabilityTopic) {
        if (!nodeId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("node id '" + nodeId + "' may hold only letters, digits, _ and -");
        }
        this.client = client;
        this.nodeId = nodeId;
        this.device = device;
        this.availabilityTopic = availabilityTopic;
    }

    /** Publishes the configs (retained) and keeps them to send again when Home Assistant restarts. */
    public synchronized void announce(List<DiscoveryEntity> entities) {
        if (!listening) {
            listening = true;
            client.subscribe(STATUS_TOPIC, 0, m -> {
                if ("online".equals(new String(m.payload(), StandardCharsets.UTF_8).trim())) {
                    resend();
                }
            });
        }
        for (DiscoveryEntity e : entities) {
            announced.removeIf(a -> a.objectId().equals(e.objectId()));
            announced.add(e);
            send(e);
        }
    }

    private synchronized void resend() {
        announced.forEach(this::send);
    }

    /** Removes an entity from Home Assistant: a retained empty config, as the discovery docs say. */
    public synchronized void remove(DiscoveryEntity e) {
        announced.removeIf(a -> a.objectId().equals(e.objectId()));
        client.publish(configTopic(e), new byte[0], 1, true);
    }

    private void send(DiscoveryEntity e) {
        client.publish(configTopic(e), Json.write(config(e)).getBytes(StandardCharsets.UTF_8), 1, true);
    }

    /** {@code homeassistant/sensor/NODE/OBJECT/config}. */
    public String configTopic(DiscoveryEntity e) {
        return PREFIX + "/" + e.component() + "/" + nodeId + "/" + e.objectId() + "/config";
    }

    /** The discovery config of {@code e}, with Home Assistant's documented keys. */
    public Map<String, Object> config(DiscoveryEntity e) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", e.name());
        c.put("unique_id", nodeId + "_" + e.objectId());
        if (e.stateTopic() != null) {
            c.put("state_topic", e.stateTopic());
        }
        if (e.valueTemplate() != null) {
            c.put("value_template", e.valueTemplate());
        }
        if (e.unit() != null) {
            c.put("unit_of_measurement", e.unit());
        }
        if (e.deviceClass() != null) {
            c.put("device_class", e.deviceClass());
        }
        if (e.stateClass() != null) {
            c.put("state_class", e.stateClass());
        }
        c.putAll(e.extra());
        if (availabilityTopic != null) {
            c.put("availability_topic", availabilityTopic);
            c.put("payload_available", "online");
            c.put("payload_not_available", "offline");
        }
        c.put("device", device.asMap());
        c.put("origin", Map.of("name", "Vane"));
        return c;
    }
}
