package io.vane.devices.homeassistant;

/**
 * One entity for Home Assistant's MQTT discovery: where its state is and what kind of quantity it is.
 * The device and state classes decide what Home Assistant accepts it for: the Energy dashboard takes
 * {@code energy} or {@code gas} sensors with {@code total_increasing} and kWh or m³.
 *
 * @param component {@code sensor}, {@code binary_sensor}, {@code climate} ...
 * @param objectId unique within its device, e.g. {@code electricity_delivered_1}
 * @param name shown in Home Assistant, e.g. "Energy import tariff 1"
 * @param stateTopic the topic holding the state
 * @param valueTemplate a Jinja template to take the value out of JSON, or null for the plain payload
 * @param unit unit_of_measurement, or null
 * @param deviceClass e.g. {@code energy}, {@code power}, {@code voltage}, or null
 * @param stateClass {@code measurement}, {@code total_increasing}, or null
 * @param extra further keys of the component's config as Home Assistant documents them (a climate's
 *     {@code temperature_command_topic}, a binary sensor's {@code payload_on}), in order
 */
public record DiscoveryEntity(String component, String objectId, String name, String stateTopic, String valueTemplate,
        String unit, String deviceClass, String stateClass, java.util.Map<String, Object> extra) {

    public DiscoveryEntity {
        extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }

    public DiscoveryEntity(String component, String objectId, String name, String stateTopic, String valueTemplate,
            String unit, String deviceClass, String stateClass) {
        this(component, objectId, name, stateTopic, valueTemplate, unit, deviceClass, stateClass, java.util.Map.of());
    }

    /** The same entity with {@code more} keys in its config. */
    public DiscoveryEntity with(java.util.Map<String, Object> more) {
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(extra);
        all.putAll(more);
        return new DiscoveryEntity(component, objectId, name, stateTopic, valueTemplate, unit, deviceClass, stateClass,
                all);
    }

    /** A sensor with the plain payload of its topic as state. */
    public static DiscoveryEntity sensor(String objectId, String name, String stateTopic, String unit,
            String deviceClass, String stateClass) {
        return new DiscoveryEntity("sensor", objectId, name, stateTopic, null, unit, deviceClass, stateClass);
    }

    /** The same entity reading its value from a JSON payload. */
    public DiscoveryEntity withValueTemplate(String template) {
        return new DiscoveryEntity(component, objectId, name, stateTopic, template, unit, deviceClass, stateClass,
                extra);
    }
}
